import { test, expect } from '@playwright/test';
import { Server, openChat, say, messages, storeMessages } from './support';

/** Stores `count` messages in general: `old 0`, `old 1`, … */
const fill = (browser, server: Server, count: number) =>
  storeMessages(browser, server, Array.from({ length: count }, (_, i) => `old ${i}`));

test('scrolling up loads older history, back to the first message', async ({ browser }) => {
  const server = await new Server().start(['--rate-per-sec', '1000', '--rate-burst', '1000']);
  try {
    await fill(browser, server, 150);
    const ann = await openChat(browser, server, 'Ann');
    const list = messages(ann.page);
    await expect(list.locator('.msg .text').last()).toHaveText('old 149');
    await expect(list.locator('.msg')).toHaveCount(100); // the latest 100 come with the greeting
    await expect(list.getByText('old 0', { exact: true })).toHaveCount(0);
    await list.evaluate((el) => (el.scrollTop = 0));
    await expect(list.getByText('old 0', { exact: true })).toHaveCount(1);
    await expect(list.locator('.msg')).toHaveCount(150);
    await expect(list).toContainText('This is the beginning of the room');
    const texts = await list.locator('.msg .text').allTextContents();
    expect(texts).toEqual(Array.from({ length: 150 }, (_, i) => `old ${i}`));
  } finally {
    await server.stop();
  }
});

test('a reader scrolled up gets a "new messages" button instead of being yanked down', async ({ browser }) => {
  const server = await new Server().start(['--rate-per-sec', '1000', '--rate-burst', '1000']);
  try {
    await fill(browser, server, 60);
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    const list = messages(ann.page);
    await expect(list.locator('.msg')).toHaveCount(60);
    await list.evaluate((el) => (el.scrollTop = 200)); // reading something older
    await say(bob.page, 'news from Bob');
    const jump = ann.page.getByTestId('jump');
    await expect(jump).toHaveText('1 new message ↓');
    expect(await list.evaluate((el) => el.scrollTop)).toBeLessThan(400); // not moved
    await jump.click();
    await expect(jump).toHaveCount(0);
    await expect.poll(() => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(50);
  } finally {
    await server.stop();
  }
});

test('a visitor scrolls back to the first of 1500 messages, and down to the newest again', async ({ browser }) => {
  test.setTimeout(120_000);
  const server = await new Server().start(['--rate-per-sec', '100000', '--rate-burst', '100000']);
  try {
    await fill(browser, server, 1500);
    const ann = await openChat(browser, server, 'Ann');
    const list = messages(ann.page);
    await expect(list.locator('.msg .text').last()).toHaveText('old 1499');
    // Keep scrolling to the top, as a reader would, until the first message shows.
    await expect.poll(async () => {
      await list.evaluate((el) => (el.scrollTop = 0));
      return list.getByText('old 0', { exact: true }).count();
    }, { timeout: 60_000, intervals: [200] }).toBe(1);
    await expect(list).toContainText('This is the beginning of the room');
    expect(await list.locator('.msg').count()).toBeLessThanOrEqual(1000);
    const first = await list.locator('.msg .text').first().textContent();
    expect(first).toBe('old 0');
    // And back down: what was trimmed while reading far back comes again.
    await expect.poll(async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      return list.getByText('old 1499', { exact: true }).count();
    }, { timeout: 60_000, intervals: [200] }).toBe(1);
  } finally {
    await server.stop();
  }
});
