import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages } from './support';

const bubble = (page, text: string) => messages(page).locator('.msg', { hasText: text });

test('reloading the page shows the history', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    for (const text of ['first words', 'second thought', 'third time lucky']) {
      await say(ann.page, text);
      await expect(bubble(ann.page, text).locator('.state')).toHaveCount(0);
    }
    await ann.page.reload();
    await expect(ann.page.getByTestId('status')).toHaveText('Connected');
    for (const text of ['first words', 'second thought', 'third time lucky']) {
      await expect(bubble(ann.page, text)).toHaveCount(1);
    }
    // A newcomer sees it too, in order.
    const bob = await openChat(browser, server, 'Bob');
    await expect(messages(bob.page).locator('.msg .text')).toHaveText(['first words', 'second thought', 'third time lucky']);
  } finally {
    await server.stop();
  }
});

test('two rooms, with switching between them', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    await say(ann.page, 'hello general');

    await ann.page.getByTestId('rooms').getByRole('button', { name: /random/ }).click();
    await expect(ann.page.getByTestId('room-title')).toHaveText('#random');
    await say(ann.page, 'anyone in random?');
    await expect(bubble(ann.page, 'anyone in random?').locator('.state')).toHaveCount(0);
    await expect(bubble(ann.page, 'hello general')).toHaveCount(0);

    // Bob, still in general, does not see it, and sees an unread-free general.
    await say(bob.page, 'still in general');
    await expect(bubble(bob.page, 'still in general')).toHaveCount(1);
    await expect(bubble(bob.page, 'anyone in random?')).toHaveCount(0);
    // Ann gets an unread badge on general for Bob's message.
    await expect(ann.page.getByTestId('rooms').getByRole('button', { name: /general/ }).locator('.badge')).toHaveText('1');

    // Bob joins random and finds the history there.
    await bob.page.getByTestId('rooms').getByRole('button', { name: /random/ }).click();
    await expect(bob.page.getByTestId('room-title')).toHaveText('#random');
    await expect(bubble(bob.page, 'anyone in random?')).toHaveCount(1);

    // Back to general: its messages, and nothing from random.
    await ann.page.getByTestId('rooms').getByRole('button', { name: /general/ }).click();
    await expect(ann.page.getByTestId('room-title')).toHaveText('#general');
    await expect(bubble(ann.page, 'still in general')).toHaveCount(1);
    await expect(bubble(ann.page, 'anyone in random?')).toHaveCount(0);

    // A new room appears for everyone.
    await ann.page.locator('#new-room').fill('book club');
    await ann.page.getByRole('button', { name: 'Create room' }).click();
    await expect(ann.page.getByTestId('room-title')).toHaveText('#book club');
    await expect(bob.page.getByTestId('rooms')).toContainText('book club');
  } finally {
    await server.stop();
  }
});

test('going offline, sending, and coming back loses and doubles nothing', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    await say(ann.page, 'before the tunnel');
    await expect(bubble(bob.page, 'before the tunnel')).toHaveCount(1);

    await bob.context.setOffline(true);
    await expect(bob.page.getByTestId('status')).not.toHaveText('Connected');
    for (const text of ['missed one', 'missed two', 'missed three']) await say(ann.page, text);
    await say(bob.page, 'typed in the tunnel');
    await expect(bubble(bob.page, 'typed in the tunnel').locator('.state')).toHaveText(/Sending/);

    await bob.context.setOffline(false);
    await expect(bob.page.getByTestId('status')).toHaveText('Connected', { timeout: 30_000 });
    await expect(bubble(bob.page, 'typed in the tunnel').locator('.state')).toHaveCount(0);
    const expected = ['before the tunnel', 'missed one', 'missed two', 'missed three', 'typed in the tunnel'];
    await expect(messages(bob.page).locator('.msg .text')).toHaveText(expected);
    await expect(messages(ann.page).locator('.msg .text')).toHaveText(expected);
    // Bob kept his identity: no leave and join flap for Ann.
    await expect(messages(ann.page)).not.toContainText('Bob left');
  } finally {
    await server.stop();
  }
});
