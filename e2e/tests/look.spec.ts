import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages } from './support';

// Screenshots kept as artifacts in e2e/test-results/screenshots, for people to look at.
const shots = 'test-results/screenshots';

for (const scheme of ['light', 'dark'] as const) {
  test(`a conversation at desktop and phone size (${scheme})`, async ({ browser }) => {
    const server = await new Server().start();
    try {
      const ann = await openChat(browser, server, 'Ann');
      const bob = await openChat(browser, server, 'Bob');
      const phone = await openChat(browser, server, 'Chloé', { width: 390, height: 844 });
      for (const p of [ann.page, phone.page]) await p.emulateMedia({ colorScheme: scheme });
      await say(ann.page, 'Morning all! Stand-up in 10?');
      await say(bob.page, 'Sounds good. I have the release notes ready 🎉');
      await say(phone.page, 'On my way, 2 minutes late');
      await bob.page.locator('[data-testid=users] .user', { hasText: 'Ann' }).click();
      await say(bob.page, 'Can you review my PR after?');
      await expect(messages(ann.page).locator('.msg.private')).toHaveCount(1);
      await say(ann.page, 'A longer message to show wrapping: the deploy finished, all checks are green, and the dashboard shows no new errors since this morning.');
      await expect(messages(phone.page).locator('.msg')).toHaveCount(4);
      await ann.page.locator('[data-testid=users] .user', { hasText: 'Bob' }).click();
      await ann.page.locator('#composer-input').fill('Sure, send me the link');
      await ann.page.screenshot({ path: `${shots}/desktop-${scheme}.png` });
      await phone.page.screenshot({ path: `${shots}/phone-${scheme}.png` });
      await phone.page.getByRole('button', { name: /People/ }).click();
      await expect(phone.page.locator('#sidebar')).toBeVisible();
      await phone.page.screenshot({ path: `${shots}/phone-people-${scheme}.png` });
    } finally {
      await server.stop();
    }
  });
}

test('the binary serves its embedded bundle with the right headers', async ({ request }) => {
  const server = await new Server().start();
  try {
    const index = await request.get(server.url, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(index.status()).toBe(200);
    expect(index.headers()['cache-control']).toBe('no-cache');
    expect(index.headers()['content-type']).toContain('text/html');
    const html = await index.text();
    const wasm = /href="\/?([^"]+_bg\.wasm)"/.exec(html)?.[1];
    expect(wasm).toBeTruthy();
    const asset = await request.get(`${server.url}/${wasm}`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(asset.headers()['content-type']).toBe('application/wasm');
    expect(asset.headers()['cache-control']).toContain('immutable');
    expect(asset.headers()['content-encoding']).toMatch(/gzip|br/);
  } finally {
    await server.stop();
  }
});
