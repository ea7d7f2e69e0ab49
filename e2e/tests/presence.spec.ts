import { test, expect } from '@playwright/test';
import { Server, openChat, rename, users, onlineCount, messages } from './support';

test('join, rename and leave update everyone\'s list and count', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server, 'Ann');
    await expect(onlineCount(ann.page)).toHaveText('1');

    const bob = await openChat(browser, server);
    await expect(onlineCount(ann.page)).toHaveText('2');
    await expect(onlineCount(bob.page)).toHaveText('2');
    await expect(users(bob.page)).toContainText(['Ann']);

    await rename(bob.page, 'Bob');
    await expect(users(ann.page)).toHaveText(['Ann', 'Bob']);
    await expect(messages(ann.page)).toContainText(/User\d+ is now Bob/);

    await bob.context.close();
    await expect(onlineCount(ann.page)).toHaveText('1');
    await expect(users(ann.page)).toHaveText(['Ann']);
    await expect(messages(ann.page)).toContainText('Bob left');
  } finally {
    await server.stop();
  }
});
