import { test, expect, Page } from '@playwright/test';
import { Server, openChat, say, messages, signUp, admin } from './support';

const shots = 'test-results/screenshots';

/** Opens the moderation menu beside `name` in the member list. */
async function menuFor(page: Page, name: string) {
  const drawer = page.getByRole('button', { name: /People/ });
  if (await drawer.isVisible()) await drawer.click();
  const member = page.locator('[data-testid=users] li.member', { hasText: name });
  await member.getByTestId('member-menu').click();
  return member.getByTestId('member-actions');
}

test('an admin mutes, deletes and kicks a user in another browser, and both sides show it', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ada = await openChat(browser, server);
    await signUp(ada.page, 'Ada');
    // The first owner comes from the command line, while the server runs; her
    // next connection carries the role.
    expect(admin(server, 'grant', 'Ada', 'owner')).toContain('Ada (user');
    await ada.page.reload();
    await expect(ada.page.getByTestId('status')).toHaveText('Connected');
    await expect(ada.page.locator('[data-testid=users] li.member', { hasText: 'Ada' }).getByTestId('role-badge')).toHaveText('owner');

    const bob = await openChat(browser, server, 'Bob');
    await say(bob.page, 'buy cheap watches here');
    await expect(messages(ada.page).getByText('buy cheap watches here')).toBeVisible();
    // The badge is seen by everyone.
    await expect(bob.page.locator('[data-testid=users] li.member', { hasText: 'Ada' }).getByTestId('role-badge')).toHaveText('owner');

    // Delete: a moderator's bin on someone else's message; both show it removed.
    const message = messages(ada.page).locator('.msg', { hasText: 'buy cheap watches here' });
    await message.hover();
    await message.getByTestId('delete').click();
    for (const page of [ada.page, bob.page]) {
      await expect(messages(page).getByText('Bob: message removed')).toBeVisible();
      await expect(messages(page).getByText('buy cheap watches here')).toHaveCount(0);
    }
    // Bob may delete only his own: he is offered no bin on Ada's.
    await say(ada.page, 'Welcome, everyone');
    const adas = messages(bob.page).locator('.msg', { hasText: 'Welcome, everyone' });
    await expect(adas).toBeVisible();
    await expect(adas.getByTestId('delete')).toHaveCount(0);
    await expect(adas.getByTestId('role-badge')).toHaveText('owner');

    // Mute, with a reason: Bob is told until when and why, and cannot post.
    let actions = await menuFor(ada.page, 'Bob');
    await actions.getByPlaceholder('Reason').fill('posting spam links');
    await ada.page.screenshot({ path: `${shots}/moderation-menu-desktop-light.png` });
    await actions.getByRole('button', { name: 'Mute 5 min' }).click();
    await expect(bob.page.getByTestId('muted-notice')).toContainText('You are muted until');
    await expect(bob.page.getByTestId('muted-notice')).toContainText('posting spam links');
    await expect(bob.page.locator('#composer-input')).toBeDisabled();
    await expect(messages(bob.page).getByText('You were muted by Ada: posting spam links')).toBeVisible();
    await bob.page.screenshot({ path: `${shots}/muted-desktop-light.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/muted-desktop-dark.png` });

    // The audit log shows it to the owner.
    await ada.page.getByTestId('audit-toggle').click();
    await expect(ada.page.getByTestId('audit')).toContainText('Ada mute Bob');
    await expect(ada.page.getByTestId('audit')).toContainText('Ada delete message Bob');

    // Kick: Bob's page says why and stays away until he chooses to come back.
    actions = await menuFor(ada.page, 'Bob');
    await actions.getByPlaceholder('Reason').fill('posting spam links');
    await actions.getByRole('button', { name: 'Kick' }).click();
    const notice = bob.page.getByTestId('removed-notice');
    await expect(notice).toContainText('You were removed from the chat');
    await expect(notice).toContainText('By Ada');
    await expect(notice).toContainText('Reason: posting spam links');
    await expect(bob.page.getByTestId('status')).toHaveText('Disconnected');
    await expect(messages(ada.page).getByText('Bob left')).toBeVisible();
    await expect(ada.page.locator('[data-testid=users] li.member', { hasText: 'Bob' })).toHaveCount(0);
    await bob.page.screenshot({ path: `${shots}/kicked-desktop-dark.png` });
    // Still disconnected a while later: no reconnecting by itself.
    await bob.page.waitForTimeout(1500);
    await expect(bob.page.getByTestId('status')).toHaveText('Disconnected');
    await notice.getByRole('button', { name: 'Rejoin' }).click();
    await expect(bob.page.getByTestId('status')).toHaveText('Connected');
    await expect(bob.page.getByTestId('removed-notice')).toHaveCount(0);
    await expect(ada.page.locator('[data-testid=users] li.member', { hasText: 'Bob' })).toHaveCount(1);
    // The mute outlives the kick.
    await expect(bob.page.locator('#composer-input')).toBeDisabled();
  } finally {
    await server.stop();
  }
});

test('a phone shows the moderation menu and notices', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const phone = { width: 390, height: 844 };
    const ada = await openChat(browser, server, undefined, phone);
    await signUp(ada.page, 'Ada');
    admin(server, 'grant', 'Ada', 'owner');
    await ada.page.reload();
    await expect(ada.page.getByTestId('status')).toHaveText('Connected');
    const bob = await openChat(browser, server, 'Bob', phone);
    for (const scheme of ['light', 'dark'] as const) {
      await ada.page.emulateMedia({ colorScheme: scheme });
      await bob.page.emulateMedia({ colorScheme: scheme });
      const actions = await menuFor(ada.page, 'Bob');
      await expect(actions).toBeVisible();
      await ada.page.screenshot({ path: `${shots}/moderation-menu-phone-${scheme}.png` });
      await ada.page.getByTestId('member-menu').click();
      await ada.page.getByRole('button', { name: /People/ }).click();
    }
    const actions = await menuFor(ada.page, 'Bob');
    await actions.getByRole('button', { name: 'Mute 1 hour' }).click();
    await expect(bob.page.getByTestId('muted-notice')).toBeVisible();
    await bob.page.screenshot({ path: `${shots}/muted-phone-dark.png` });
    await bob.page.emulateMedia({ colorScheme: 'light' });
    await bob.page.screenshot({ path: `${shots}/muted-phone-light.png` });
  } finally {
    await server.stop();
  }
});
