import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages } from './support';

test('a nickname being typed survives 50 incoming messages', async ({ browser }) => {
  const server = await new Server().start(['--rate-per-sec', '1000', '--rate-burst', '1000']);
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    const field = ann.page.locator('#name-input');
    await field.fill('Annabelle (typing');
    for (let i = 0; i < 50; i++) await say(bob.page, `chatter ${i}`);
    await expect(messages(ann.page).getByText('chatter 49', { exact: true })).toHaveCount(1);
    await expect(field).toHaveValue('Annabelle (typing');
  } finally {
    await server.stop();
  }
});
