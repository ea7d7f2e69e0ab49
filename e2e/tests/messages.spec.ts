import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages } from './support';

test('a public message reaches everyone, and its sender once', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    await say(ann.page, 'Hello, everyone!');

    const annCopy = messages(ann.page).locator('.msg', { hasText: 'Hello, everyone!' });
    await expect(annCopy).toHaveCount(1);
    await expect(annCopy).toHaveClass(/own/);
    await expect(annCopy.locator('.state')).toHaveCount(0); // confirmed by the echo
    const bobCopy = messages(bob.page).locator('.msg', { hasText: 'Hello, everyone!' });
    await expect(bobCopy).toHaveCount(1);
    await expect(bobCopy.locator('.sender')).toHaveText('Ann');
    await expect(ann.page.locator('#composer-input')).toHaveValue('');
  } finally {
    await server.stop();
  }
});

test('a private message reaches only its target, and the sender sees it sent', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    const cy = await openChat(browser, server, 'Cy');

    await ann.page.locator('[data-testid=users] .user', { hasText: 'Bob' }).click();
    const chip = ann.page.getByTestId('private-chip');
    await expect(chip).toContainText('Private to Bob');
    await say(ann.page, 'just between us');

    await expect(messages(bob.page).locator('.msg.private', { hasText: 'just between us' })).toContainText('Ann');
    await expect(messages(ann.page).locator('.msg.own.private', { hasText: 'just between us' })).toContainText('Private to Bob');
    // Cy sees a later public message, and never the private one.
    await chip.getByRole('button', { name: 'Cancel private message' }).click();
    await expect(chip).toHaveCount(0);
    await say(ann.page, 'public again');
    await expect(messages(cy.page)).toContainText('public again');
    await expect(messages(cy.page)).not.toContainText('just between us');
    await expect(messages(bob.page).locator('.msg', { hasText: 'public again' })).not.toHaveClass(/private/);
  } finally {
    await server.stop();
  }
});
