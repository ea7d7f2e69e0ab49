import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Server, openChat, say, signUp, openForm } from './support';

/** Serious and critical violations axe finds on the page as it is now. */
async function violations(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ') + ' ' + JSON.stringify(n.any[0]?.data ?? {})).slice(0, 4).join(', ')}`);
}

test('axe finds no serious or critical violation on the main views', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server);
    await signUp(ann.page, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await say(ann.page, 'Welcome, everyone! https://example.com 🎉');
    await say(bob.page, 'Hi @Ann, thanks');
    await expect(ann.page.getByTestId('messages')).toContainText('Hi @Ann');
    const found: string[] = [];

    for (const scheme of ['light', 'dark'] as const) {
      await ann.page.emulateMedia({ colorScheme: scheme });
      await bob.page.emulateMedia({ colorScheme: scheme });
      found.push(...await violations(ann.page, `chat, desktop, ${scheme}`));
      found.push(...await violations(bob.page, `chat, phone, ${scheme}`));
    }
    // The phone's people drawer.
    await bob.page.getByRole('button', { name: /People/ }).click();
    found.push(...await violations(bob.page, 'people drawer, phone'));
    await bob.page.getByRole('button', { name: /People/ }).click();
    // The sign-in form.
    await openForm(bob.page);
    found.push(...await violations(bob.page, 'sign-in form, phone'));
    await bob.page.keyboard.press('Escape');
    // Search, with results.
    await ann.page.getByTestId('search-toggle').click();
    await ann.page.getByTestId('search-input').fill('welcome');
    await ann.page.getByTestId('search-go').click();
    await expect(ann.page.locator('.search-results')).toContainText('Welcome');
    found.push(...await violations(ann.page, 'search panel, desktop'));
    await ann.page.keyboard.press('Escape');
    // The emoji picker.
    await ann.page.getByRole('button', { name: 'Insert an emoji' }).click();
    found.push(...await violations(ann.page, 'emoji picker, desktop'));

    expect(found, found.join('\n')).toEqual([]);
  } finally {
    await server.stop();
  }
});

/** Presses Tab until the focused element is the one wanted (at most 60 times):
 * reaching it the way a keyboard user does. */
async function tabTo(page: Page, wanted: (el: Element) => boolean) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${wanted.toString()})(document.activeElement)`)) return;
  }
  throw new Error('never reached by Tab');
}

test('keyboard only: switch rooms, send, and scroll back', async ({ browser }) => {
  // Thirty lines typed at machine speed: the per-connection rate limit is not what is tested.
  const server = await new Server().start(['--rate-per-sec', '100', '--rate-burst', '100']);
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    const page = ann.page;
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    // To #random: Tab to its entry in the room list, Enter.
    await tabTo(page, (el) => el.textContent?.includes('random') === true && el.tagName === 'BUTTON');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('room-title')).toHaveText('#random');
    // Back to #general the same way, then to the composer: type, Enter.
    await tabTo(page, (el) => el.textContent?.includes('general') === true && el.tagName === 'BUTTON');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('room-title')).toHaveText('#general');
    await tabTo(page, (el) => el.id === 'composer-input');
    for (let n = 1; n <= 30; n++) {
      await page.keyboard.type(`line ${n}`);
      await page.keyboard.press('Enter');
    }
    await expect(bob.page.getByTestId('messages')).toContainText('line 30');
    // The message log takes focus, and Page Up scrolls it back.
    await tabTo(page, (el) => el.getAttribute('data-testid') === 'messages');
    const log = page.getByTestId('messages');
    const bottom = await log.evaluate((el) => el.scrollTop);
    await page.keyboard.press('PageUp');
    await expect.poll(() => log.evaluate((el) => el.scrollTop)).toBeLessThan(bottom);
  } finally {
    await server.stop();
  }
});
