import { test, expect } from '@playwright/test';
import { Server, openChat, rename, say, messages, users } from './support';

test('a server error is shown: a 21-character name', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server);
    await ann.page.locator('#name-input').fill('abcdefghijklmnopqrstu');
    await ann.page.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(ann.page.locator('#name-error')).toHaveText('Invalid name (1-20 characters required)');
    await expect(ann.page.locator('#name-input')).toHaveAttribute('aria-invalid', 'true');
    await expect(messages(ann.page).getByTestId('error')).toHaveText('Invalid name (1-20 characters required)');
  } finally {
    await server.stop();
  }
});

test('markup in names is refused; names and messages that look like HTML render as plain text', async ({ browser }) => {
  const server = await new Server().start();
  try {
    // `<` and `>` never reach a name: the tutorial's client puts names into innerHTML.
    const mallory = await openChat(browser, server);
    await mallory.page.locator('#name-input').fill('<img src=x onerror>');
    await mallory.page.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(mallory.page.locator('#name-error')).toContainText('markup');
    // What a name may still hold must show as typed: entities, quotes, ampersands.
    const nameAttack = `&lt;b&gt;"x"&amp;'`;
    await rename(mallory.page, nameAttack);
    const bodyAttack = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const ann = await openChat(browser, server, 'Ann');
    await say(mallory.page, bodyAttack);

    for (const page of [ann.page, mallory.page]) {
      await expect(messages(page).locator('.text', { hasText: bodyAttack })).toHaveText(bodyAttack);
      await expect(page.locator('.messages img, .messages script, .users img')).toHaveCount(0);
    }
    await expect(users(ann.page)).toContainText([nameAttack]);
    await expect(messages(ann.page).locator('.sender', { hasText: nameAttack })).toHaveCount(1);
    expect(ann.dialogs).toEqual([]);
    expect(mallory.dialogs).toEqual([]);
  } finally {
    await server.stop();
  }
});
