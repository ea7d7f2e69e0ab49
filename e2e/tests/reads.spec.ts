import { test, expect, Page } from '@playwright/test';
import { Server, openChat, messages, say, signUp } from './support';

const shots = 'test-results/screenshots';

const message = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });
const room = (page: Page, name: RegExp) =>
  page.getByTestId('rooms').getByRole('button', { name });

test('read receipts: who has read how far, unread counts, and the divider after a reload', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server);
    await signUp(ann.page, 'Ann');
    const bob = await openChat(browser, server);
    await signUp(bob.page, 'Bob');
    const cy = await openChat(browser, server);
    await signUp(cy.page, 'Cy');

    for (const text of ['first', 'second', 'third']) await say(ann.page, text);
    await expect(message(bob.page, 'third')).toBeVisible();
    await expect(message(cy.page, 'third')).toBeVisible();
    // Bob and Cy have the newest message on screen: their avatars go under it.
    // (A reader may first report an older message: wait for where both end up.)
    const readBy = ann.page.getByTestId('read-by');
    await expect(ann.page.getByTitle('Seen by Bob and Cy')).toHaveCount(1);
    await expect(readBy).toHaveCount(1);
    await expect(message(ann.page, 'third').locator('+ [data-testid=read-by]')).toBeVisible();

    // Bob looks at another room: what Ann says next is unread for him.
    await room(bob.page, /random/).click();
    await expect(bob.page.getByTestId('room-title')).toHaveText('#random');
    await say(ann.page, 'unread one');
    await say(ann.page, 'unread two');
    await expect(message(cy.page, 'unread two')).toBeVisible();
    await expect(room(bob.page, /general/).getByTestId('room-unread')).toHaveText('2');
    // Cy has read on, Bob has not: his avatar stays at "third".
    await expect(ann.page.getByTestId('read-by')).toHaveCount(2);
    await expect(message(ann.page, 'third').locator('+ [data-testid=read-by]')).toHaveAttribute('title', 'Seen by Bob');
    await ann.page.screenshot({ path: `${shots}/reads-desktop-light.png` });

    // The marker is the account's: after a reload Bob lands in general with the
    // divider above what he has not read, and then reads it.
    await bob.page.reload();
    await expect(bob.page.getByTestId('status')).toHaveText('Connected');
    await expect(message(bob.page, 'unread two')).toBeVisible();
    const divider = bob.page.getByTestId('new-divider');
    await expect(divider).toHaveCount(1);
    await expect(messages(bob.page).locator('[data-testid=new-divider] + [data-testid=message]')).toContainText('unread one');
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/reads-desktop-dark.png` });
    await expect(message(ann.page, 'unread two').locator('+ [data-testid=read-by]'))
      .toHaveAttribute('title', /^Seen by (Bob and Cy|Cy and Bob)$/);
  } finally {
    await server.stop();
  }
});

test('a private message shows "Seen" once the other side has read it', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, undefined, { width: 390, height: 844 });
    await signUp(ann.page, 'Ann');
    const bob = await openChat(browser, server);
    await signUp(bob.page, 'Bob');
    await ann.page.getByRole('button', { name: /People/ }).click();
    await ann.page.locator('[data-testid=users] .user', { hasText: 'Bob' }).click();
    await say(ann.page, 'are you there?');
    // On a phone the conversations live in the People drawer.
    const drawer = ann.page.getByRole('button', { name: /People/ });
    if (!(await ann.page.getByTestId('conversation').isVisible())) await drawer.click();
    await ann.page.getByTestId('conversation').click();
    await expect(ann.page.getByTestId('private-message')).toHaveCount(1);
    await expect(ann.page.getByTestId('seen')).toHaveCount(0);
    // Bob opens the conversation: Ann's message is seen.
    await bob.page.getByTestId('conversation').click();
    await expect(bob.page.getByTestId('private-message')).toHaveText([/are you there\?/]);
    await expect(ann.page.getByTestId('seen')).toBeVisible();
    await ann.page.screenshot({ path: `${shots}/seen-phone-light.png` });
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/seen-phone-dark.png` });
  } finally {
    await server.stop();
  }
});
