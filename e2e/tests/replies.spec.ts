import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

test('a reply quotes what it answers, for everyone', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await say(ann.page, 'Lunch at noon?');
    await say(ann.page, 'Or one?');
    await expect(bubble(bob.page, 'Or one?')).toBeVisible();

    await bubble(bob.page, 'Lunch at noon?').getByTestId('reply').click();
    await expect(bob.page.getByTestId('replying')).toContainText('Replying to Ann: Lunch at noon?');
    await expect(bob.page.locator('#composer-input')).toBeFocused();
    await bob.page.screenshot({ path: `${shots}/reply-phone-light.png` });
    await say(bob.page, 'Noon works');
    await expect(bob.page.getByTestId('replying')).toHaveCount(0);

    for (const page of [ann.page, bob.page]) {
      await expect(bubble(page, 'Noon works').getByTestId('quote')).toHaveText('Ann: Lunch at noon?');
    }
    // Escape gives up a reply before it is sent.
    await bubble(bob.page, 'Or one?').getByTestId('reply').click();
    await bob.page.locator('#composer-input').press('Escape');
    await expect(bob.page.getByTestId('replying')).toHaveCount(0);
    await ann.page.screenshot({ path: `${shots}/reply-desktop-light.png` });
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/reply-desktop-dark.png` });
    // After a reload the quote comes from history.
    await ann.page.reload();
    await expect(bubble(ann.page, 'Noon works').getByTestId('quote')).toHaveText('Ann: Lunch at noon?');
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/reply-phone-dark.png` });
  } finally {
    await server.stop();
  }
});
