import { test, expect } from '@playwright/test';
import { Server, openChat, messages } from './support';

const shots = 'test-results/screenshots';

test('the others see who is typing, until the message arrives', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    const cy = await openChat(browser, server, 'Cy');
    await ann.page.locator('#composer-input').pressSequentially('Morning all', { delay: 20 });
    await expect(bob.page.getByTestId('typing')).toHaveText('Ann is typing…');
    await expect(ann.page.getByTestId('typing')).toHaveText('', { timeout: 1000 });
    await cy.page.locator('#composer-input').pressSequentially('Hi', { delay: 20 });
    await expect(bob.page.getByTestId('typing')).toHaveText('Ann and Cy are typing…');
    await bob.page.screenshot({ path: `${shots}/typing-desktop-light.png` });
    await ann.page.locator('#composer-input').press('Enter');
    await expect(messages(bob.page).getByText('Morning all')).toBeVisible();
    await expect(bob.page.getByTestId('typing')).toHaveText('Cy is typing…');
    // Cy stops: the line lapses by itself.
    await expect(bob.page.getByTestId('typing')).toHaveText('', { timeout: 10_000 });
  } finally {
    await server.stop();
  }
});
