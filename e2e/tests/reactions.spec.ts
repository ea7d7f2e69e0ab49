import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say } from './support';

const shots = 'test-results/screenshots';
const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

test('reactions: added from the palette, toggled on a chip, counted for everyone', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob', { width: 390, height: 844 });
    await say(ann.page, 'Release 2.0 is out');
    await expect(bubble(bob.page, 'Release 2.0 is out')).toBeVisible();

    await bubble(bob.page, 'Release 2.0 is out').getByTestId('add-reaction').click();
    await bob.page.getByTestId('palette').getByRole('button', { name: 'React 🎉' }).click();
    const annChip = bubble(ann.page, 'Release 2.0 is out').getByTestId('reaction');
    await expect(annChip).toHaveText('🎉1');
    await expect(annChip).toHaveAttribute('aria-pressed', 'false');
    // Ann adds hers on the chip, then takes it back.
    await annChip.click();
    await expect(annChip).toHaveText('🎉2');
    await expect(annChip).toHaveAttribute('aria-pressed', 'true');
    await expect(bubble(bob.page, 'Release 2.0 is out').getByTestId('reaction')).toHaveText('🎉2');
    await ann.page.screenshot({ path: `${shots}/reactions-desktop-light.png` });
    await bob.page.screenshot({ path: `${shots}/reactions-phone-light.png` });
    await annChip.click();
    await expect(annChip).toHaveText('🎉1');
    // Kept: after a reload the count is there.
    await ann.page.reload();
    await expect(bubble(ann.page, 'Release 2.0 is out').getByTestId('reaction')).toHaveText('🎉1');
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/reactions-desktop-dark.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/reactions-phone-dark.png` });
  } finally {
    await server.stop();
  }
});
