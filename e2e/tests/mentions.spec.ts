import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

/** Records the notifications the page shows, instead of the desktop's popups. */
async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    (window as any).shown = [];
    class Recorded {
      static permission = 'default';
      static requestPermission() { Recorded.permission = 'granted'; return Promise.resolve('granted'); }
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body?: string }) {
        (window as any).shown.push(`${title}: ${options?.body}`);
      }
    }
    (window as any).Notification = Recorded;
  });
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('Connected');
}
const shown = (page: Page) => page.evaluate(() => (window as any).shown as string[]);

test('a mention completes, highlights, badges and notifies; links are safe', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await recordNotifications(bob.page);
    // Asked only on a click, never on load.
    expect(await bob.page.evaluate(() => (window as any).Notification.permission)).toBe('default');
    await bob.page.getByTestId('notify-me').click();
    await expect(bob.page.getByTestId('notify-me')).toHaveCount(0);
    await bob.page.getByRole('button', { name: /People/ }).click();
    await bob.page.getByRole('button', { name: /random/ }).click();
    await expect(bob.page.getByTestId('room-title')).toContainText('random');

    // Ann types "@b": Bob is offered; Tab takes him.
    const input = ann.page.locator('#composer-input');
    await expect(ann.page.locator('[data-testid=users] .user-name', { hasText: 'Bob' })).toHaveCount(1);
    await input.pressSequentially('lunch @b');
    await expect(ann.page.getByTestId('mention-list')).toContainText('@Bob');
    await ann.page.screenshot({ path: `${shots}/mention-complete-desktop-light.png` });
    await input.press('Tab');
    await expect(input).toHaveValue('lunch @Bob ');
    await input.pressSequentially('at noon? https://example.com/menu?day=1.');
    await input.press('Enter');
    await say(ann.page, 'careful: javascript:alert(1) <b>bold</b>');

    // Bob is elsewhere: a red @ badge and a notification.
    const badge = bob.page.getByTestId('room-unread');
    await bob.page.getByRole('button', { name: /People/ }).click();
    await expect(badge).toHaveText('@2');
    await expect(badge).toHaveClass(/mention/);
    await expect.poll(() => shown(bob.page)).toEqual(['Ann in #general: lunch @Bob at noon? https://example.com/menu?day=1.']);
    await bob.page.screenshot({ path: `${shots}/mention-badge-phone-light.png` });
    await bob.page.getByRole('button', { name: /general/ }).click();
    const mention = bubble(bob.page, 'lunch').getByTestId('mention-me');
    await expect(mention).toHaveText('@Bob');
    const link = bubble(bob.page, 'lunch').locator('a');
    await expect(link).toHaveAttribute('href', 'https://example.com/menu?day=1');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(bubble(bob.page, 'careful').locator('a, b')).toHaveCount(0);
    await bob.page.screenshot({ path: `${shots}/mention-phone-light.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/mention-phone-dark.png` });
    // A message in the room shown, tab visible: no notification.
    await say(ann.page, 'and @Bob bring cake');
    await expect(bubble(bob.page, 'bring cake').getByTestId('mention-me')).toHaveCount(1);
    expect(await shown(bob.page)).toHaveLength(1);
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/mention-desktop-dark.png` });
  } finally {
    await server.stop();
  }
});
