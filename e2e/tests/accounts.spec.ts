import { test, expect, Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Server, openChat, say, messages, users, PASSWORD, openForm, fillForm, signUp, signIn } from './support';

const shots = 'test-results/screenshots';

test('an account made in one browser is there, with its history, in another after a restart', async ({ browser }) => {
  const server = await new Server().start();
  const { addr, db } = server;
  const first = await openChat(browser, server);
  await signUp(first.page, 'Ann');
  await say(first.page, 'hello from my account');
  await expect(messages(first.page).locator('.msg.own', { hasText: 'hello from my account' })).toHaveCount(1);

  await server.stop();
  const again = await new Server(addr, db).start();
  try {
    // The first browser comes back by itself, still signed in (its cookie).
    await expect(first.page.getByTestId('status')).toHaveText('Connected', { timeout: 30_000 });
    await expect(first.page.getByTestId('account-name')).toHaveText('Ann');

    // A second browser signs in to the same account: same user, same history.
    const second = await openChat(browser, again);
    await signIn(second.page, 'ann');
    await expect(second.page.getByTestId('account-name')).toHaveText('Ann');
    await expect(messages(second.page).locator('.msg.own', { hasText: 'hello from my account' })).toHaveCount(1);
    // Two browsers, one user: listed once.
    await expect.poll(async () => (await users(second.page).allTextContents()).filter((n) => n === 'Ann')).toEqual(['Ann']);
    await say(second.page, 'typed on my second device');
    await expect(messages(first.page).locator('.msg.own', { hasText: 'typed on my second device' })).toHaveCount(1);
  } finally {
    await again.stop();
  }
});

test('a wrong password is explained, a guest cannot take the name, and signing out makes a guest', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server);
    await signUp(ann.page, 'Ann');
    const guest = await openChat(browser, server);
    await signIn(guest.page, 'Ann', 'not my password');
    await expect(guest.page.getByTestId('sign-in-error')).toHaveText('Wrong username or password.');
    await guest.page.getByTestId('as-guest').click();
    await guest.page.locator('#name-input').fill('ANN');
    await guest.page.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(guest.page.locator('#name-error')).toContainText('Name already in use');

    await ann.page.getByTestId('sign-out').click();
    await expect(ann.page.getByTestId('sign-in')).toBeVisible();
    await expect(ann.page.getByTestId('status')).toHaveText('Connected');
    await expect(ann.page.locator('[data-testid=users] .user.me .user-name')).toHaveText(/^User\d+$/);
  } finally {
    await server.stop();
  }
});

test('a private conversation between accounts waits for the one who is away, and survives a restart', async ({ browser }) => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'confab-log-')), 'server.log');
  const server = new Server();
  server.logFile = log;
  await server.start();
  const { addr, db } = server;
  const ann = await openChat(browser, server);
  await signUp(ann.page, 'Ann');
  const bob = await openChat(browser, server);
  await signUp(bob.page, 'Bob');
  const tokens = (await ann.context.cookies()).filter((c) => c.name === 'confab_session').map((c) => c.value);
  expect(tokens).toHaveLength(1);

  // Ann writes to Bob from the member list; between accounts it is stored.
  await ann.page.locator('[data-testid=users] .user', { hasText: 'Bob' }).click();
  await say(ann.page, 'first private');
  await expect(ann.page.getByTestId('conversation')).toHaveText(/Bob.*first private/);
  await bob.context.close();

  // Bob is away: Ann writes on in the conversation.
  await ann.page.getByTestId('conversation').click();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('@Bob');
  await say(ann.page, 'while you were away');
  await expect(ann.page.getByTestId('private-message')).toHaveCount(2);
  await ann.page.screenshot({ path: `${shots}/conversation-desktop-light.png` });

  await server.stop();
  const again = new Server(addr, db);
  again.logFile = log;
  await again.start();
  try {
    const back = await openChat(browser, again);
    await signIn(back.page, 'Bob');
    await expect(back.page.getByTestId('account-name')).toHaveText('Bob');
    await expect(back.page.getByTestId('conversation-unread')).toHaveText('2');
    await back.page.getByTestId('conversation').click();
    await expect(back.page.getByTestId('private-message')).toHaveText([/first private/, /while you were away/]);
    await expect(back.page.getByTestId('conversation-unread')).toHaveCount(0);
    await back.page.emulateMedia({ colorScheme: 'dark' });
    await back.page.screenshot({ path: `${shots}/conversation-desktop-dark.png` });
  } finally {
    await again.stop();
  }
  // Nothing secret in a whole session's debug log.
  const text = fs.readFileSync(log, 'utf8');
  expect(text).toContain('signed in');
  for (const secret of [PASSWORD, 'first private', 'while you were away', ...tokens]) {
    expect(text.includes(secret), `the log holds ${secret}`).toBe(false);
  }
  expect(/confab_session=[0-9a-f]{64}/.test(text)).toBe(false);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the sign-in form at desktop and phone size (${scheme})`, async ({ browser }) => {
    const server = await new Server().start();
    try {
      const desktop = await openChat(browser, server);
      const phone = await openChat(browser, server, undefined, { width: 390, height: 844 });
      for (const p of [desktop.page, phone.page]) {
        await p.emulateMedia({ colorScheme: scheme });
        await openForm(p);
        await fillForm(p, 'Ann', 'short');
      }
      await desktop.page.screenshot({ path: `${shots}/sign-in-desktop-${scheme}.png` });
      await phone.page.screenshot({ path: `${shots}/sign-in-phone-${scheme}.png` });
      await desktop.page.getByTestId('sign-up').click();
      await expect(desktop.page.getByTestId('sign-in-error')).toContainText('at least 8 characters');
      await fillForm(desktop.page, 'Ann', PASSWORD);
      await desktop.page.getByTestId('sign-up').click();
      await expect(desktop.page.getByTestId('account-name')).toHaveText('Ann');
      await desktop.page.screenshot({ path: `${shots}/signed-in-desktop-${scheme}.png` });
    } finally {
      await server.stop();
    }
  });
}
