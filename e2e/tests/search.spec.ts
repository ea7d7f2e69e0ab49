import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say, storeMessages } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

async function search(page: Page, query: string) {
  if (!(await page.getByTestId('search-panel').isVisible())) await page.getByTestId('search-toggle').click();
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
}

test('search finds old messages in any case and script, and jumps to them', async ({ browser }) => {
  const server = await new Server().start(['--rate-per-sec', '1000', '--rate-burst', '1000']);
  try {
    const filler = Array.from({ length: 300 }, (_, i) => `chatter ${i}`);
    await storeMessages(browser, server, ['Release notes are out on Friday', '今天天气很好，我们去公园', ...filler]);
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await say(ann.page, 'Friday lunch, anyone?');
    await expect(bubble(ann.page, 'Release notes')).toHaveCount(0); // far back, not loaded

    await search(ann.page, 'FRIDAY');
    const results = ann.page.getByTestId('search-result');
    await expect(results).toHaveCount(2);
    await expect(results.nth(0)).toContainText('Friday lunch, anyone?');
    await expect(results.nth(1)).toContainText('Release notes are out on Friday');
    await expect(results.nth(1).locator('mark')).toHaveText('Friday');
    await expect(ann.page.getByTestId('search-status')).toHaveText('2 messages');
    await ann.page.screenshot({ path: `${shots}/search-desktop-light.png` });
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/search-desktop-dark.png` });

    // The old one is fetched with the messages around it, and shown.
    await results.nth(1).click();
    const found = bubble(ann.page, 'Release notes are out on Friday');
    await expect(found).toBeInViewport();
    await expect(found).toHaveClass(/flash/);
    await expect(bubble(ann.page, 'chatter 50')).toHaveCount(1);
    await ann.page.getByTestId('search-toggle').click();
    await ann.page.screenshot({ path: `${shots}/search-jumped-desktop-dark.png` });
    // Live messages wait while the reader is back there, and come on the way down.
    await say(bob.page, 'back to now');
    const list = messages(ann.page);
    await expect(async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect(bubble(ann.page, 'back to now')).toHaveCount(1, { timeout: 500 });
    }).toPass();
    await expect(bubble(ann.page, 'chatter 299')).toHaveCount(1);

    // Chinese, two characters, on a phone: the panel gets out of the way.
    await search(bob.page, '天气');
    await expect(bob.page.getByTestId('search-result')).toHaveCount(1);
    await bob.page.screenshot({ path: `${shots}/search-phone-light.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/search-phone-dark.png` });
    await bob.page.getByTestId('search-result').click();
    await expect(bob.page.getByTestId('search-panel')).toHaveCount(0);
    await expect(bubble(bob.page, '今天天气很好')).toBeInViewport();

    // Query syntax is only text: nothing found, no error.
    await search(bob.page, '"AND" NEAR( *');
    await expect(bob.page.getByTestId('search-status')).toHaveText('No messages found.');
    await expect(bob.page.getByTestId('error')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
