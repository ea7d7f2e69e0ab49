import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

test('emoji come from the picker, from :shortcode: completion and from typed codes', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    const input = ann.page.locator('#composer-input');

    // The picker: the first group, a search, a click that inserts at the caret.
    await input.fill('ship it ');
    await ann.page.getByTestId('emoji-toggle').click();
    const grid = ann.page.getByTestId('emoji-grid');
    await expect(grid.getByRole('button', { name: 'grinning face', exact: true })).toBeVisible();
    await ann.page.screenshot({ path: `${shots}/emoji-picker-desktop-light.png` });
    await ann.page.getByTestId('emoji-search').fill('rocket');
    await grid.getByRole('button', { name: 'rocket', exact: true }).click();
    await expect(ann.page.getByTestId('emoji-picker')).toHaveCount(0);
    await expect(input).toHaveValue('ship it 🚀');
    await input.press('Enter');
    await expect(bubble(bob.page, 'ship it 🚀')).toHaveCount(1);

    // Completion: ":tad" offers 🎉; Enter takes it.
    await input.pressSequentially('party :tad');
    await expect(ann.page.getByTestId('mention-list')).toContainText('🎉 :tada:');
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/emoji-complete-desktop-dark.png` });
    await input.press('Enter');
    await expect(input).toHaveValue('party 🎉');
    await input.press('Enter');
    await expect(bubble(bob.page, 'party 🎉')).toHaveCount(1);

    // Codes typed out whole become emoji on sending; times and unknown codes stay.
    await say(ann.page, 'lunch at 12:30 :+1: :pizza: :not_an_emoji:');
    await expect(bubble(bob.page, 'lunch at 12:30 👍 🍕 :not_an_emoji:')).toHaveCount(1);

    // On a phone too.
    await bob.page.getByTestId('emoji-toggle').click();
    await bob.page.getByRole('tab', { name: 'Food & Drink' }).click();
    await expect(bob.page.getByTestId('emoji-grid').getByRole('button', { name: 'pizza', exact: true })).toBeVisible();
    await bob.page.screenshot({ path: `${shots}/emoji-picker-phone-light.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/emoji-picker-phone-dark.png` });
  } finally {
    await server.stop();
  }
});
