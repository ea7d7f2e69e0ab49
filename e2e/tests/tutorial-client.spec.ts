import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Server, openChat, say, messages } from './support';

// The tutorial's own HTML client (fixtures/tutorial_client.html), verbatim but for
// the server address it dials, which is this test's server. It is opened from a
// file, so its Origin is "null", which the server must be told to allow.
function tutorialClientFor(server: Server): string {
  const html = fs.readFileSync(path.resolve(__dirname, '../fixtures/tutorial_client.html'), 'utf8');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tutorial-')), 'chat_client.html');
  fs.writeFileSync(file, html.replace("'ws://127.0.0.1:8080'", `'ws://${server.addr}'`));
  return 'file://' + file;
}

test("the tutorial's own HTML client chats with Confab's", async ({ browser }) => {
  const server = await new Server().start(['--allowed-origin', 'null']);
  try {
    const ann = await openChat(browser, server, 'Ann');

    const context = await browser.newContext();
    const tutorial = await context.newPage();
    await tutorial.goto(tutorialClientFor(server));
    await expect(tutorial.locator('#connectionStatus')).toHaveText('已连接');
    await expect(tutorial.locator('#userCount')).toHaveText('2');

    await tutorial.locator('#nameInput').fill('Tut');
    await tutorial.getByRole('button', { name: '设置' }).click();
    await expect(tutorial.locator('#messages')).toContainText('你的昵称已更改为: Tut');
    await expect(ann.page.locator('[data-testid=users] .user-name')).toHaveText(['Ann', 'Tut']);

    // Its public message reaches Confab's client, and (unlike with its own server)
    // comes back to it exactly once, marked as its own.
    await tutorial.locator('#messageInput').fill('hello from the tutorial');
    await tutorial.locator('#messageInput').press('Enter');
    await expect(messages(ann.page).locator('.msg', { hasText: 'hello from the tutorial' }).locator('.sender')).toHaveText('Tut');
    await expect(tutorial.locator('.message.own', { hasText: 'hello from the tutorial' })).toHaveCount(1);

    await say(ann.page, 'hi tutorial');
    await expect(tutorial.locator('.message', { hasText: 'hi tutorial' })).toContainText('Ann');

    // Private messages both ways.
    await tutorial.locator('#userList .user-item', { hasText: 'Ann' }).click();
    await tutorial.locator('#messageInput').fill('psst, Ann');
    await tutorial.locator('#messageInput').press('Enter');
    await expect(messages(ann.page).locator('.msg.private', { hasText: 'psst, Ann' })).toContainText('Tut');
    await expect(tutorial.locator('.message.private.own', { hasText: 'psst, Ann' })).toContainText('你 → Ann');

    await context.close();
    await expect(messages(ann.page)).toContainText('Tut left');
  } finally {
    await server.stop();
  }
});
