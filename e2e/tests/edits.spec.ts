import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string | RegExp) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

test('a sender edits its messages; others see "(edited)", even after being away', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await say(ann.page, 'teh plan is set');
    await expect(bubble(bob.page, 'teh plan is set')).toBeVisible();
    // Bob may not edit Ann's message: no pencil on it.
    await expect(bubble(bob.page, 'teh plan is set').getByTestId('edit')).toHaveCount(0);

    // The pencil: the text becomes a box; Enter saves.
    await bubble(ann.page, 'teh plan is set').hover();
    await bubble(ann.page, 'teh plan is set').getByTestId('edit').click();
    const box = ann.page.getByTestId('edit-input');
    await expect(box).toBeFocused();
    await ann.page.screenshot({ path: `${shots}/edit-desktop-light.png` });
    await box.fill('the plan is set');
    await box.press('Enter');
    await expect(bubble(bob.page, 'the plan is set').getByTestId('edited')).toBeVisible();
    await expect(bubble(ann.page, 'the plan is set').getByTestId('edited')).toBeVisible();
    await bob.page.screenshot({ path: `${shots}/edit-phone-light.png` });

    // Bob drops off; Ann edits again with Up in the empty composer.
    await bob.context.setOffline(true);
    await expect(bob.page.getByTestId('status')).not.toHaveText('Connected');
    await ann.page.locator('#composer-input').press('ArrowUp');
    await ann.page.getByTestId('edit-input').fill('the plan is set for Friday');
    await ann.page.getByTestId('edit-input').press('Enter');
    await expect(bubble(ann.page, 'the plan is set for Friday')).toBeVisible();
    // Back online, Bob's catch-up brings the change he missed.
    await bob.context.setOffline(false);
    await expect(bob.page.getByTestId('status')).toHaveText('Connected', { timeout: 30_000 });
    await expect(bubble(bob.page, 'the plan is set for Friday').getByTestId('edited')).toBeVisible();
    await expect(bubble(bob.page, /^.*teh plan/)).toHaveCount(0);
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/edit-phone-dark.png` });
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/edit-desktop-dark.png` });
  } finally {
    await server.stop();
  }
});
