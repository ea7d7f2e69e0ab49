import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages, users } from './support';

test('after a server restart, clients reconnect by themselves, keep their names, and chat', async ({ browser }) => {
  const server = await new Server().start();
  const { addr, db } = server;
  const ann = await openChat(browser, server, 'Ann');
  const bob = await openChat(browser, server, 'Bob');

  await server.stop();
  await expect(ann.page.getByTestId('status')).toHaveText('Disconnected');
  await expect(bob.page.getByTestId('status')).toHaveText(/Disconnected|Connecting/);

  const again = await new Server(addr, db).start();
  try {
    await expect(ann.page.getByTestId('status')).toHaveText('Connected', { timeout: 30_000 });
    await expect(bob.page.getByTestId('status')).toHaveText('Connected', { timeout: 30_000 });
    // Both names restored; arrival order depends on who reconnected first.
    await expect.poll(async () => (await users(ann.page).allTextContents()).sort()).toEqual(['Ann', 'Bob']);
    await expect.poll(async () => (await users(bob.page).allTextContents()).sort()).toEqual(['Ann', 'Bob']);
    await say(bob.page, 'back online');
    await expect(messages(ann.page).locator('.msg', { hasText: 'back online' }).locator('.sender')).toHaveText('Bob');
  } finally {
    await again.stop();
  }
});
