import { test, expect } from '@playwright/test';
import { Server } from './support';

// RFC 6455 §5.5.1: the server answers a client's Close, so the browser sees a clean
// close with its own code: 1000 for a closed tab, 4000 for "offline, back soon".
for (const code of [1000, 4000]) {
  test(`a browser's close with ${code} is answered: wasClean with its code`, async ({ page }) => {
    const server = await new Server().start();
    try {
      await page.goto(server.url);
      const closed = await page.evaluate(async (code) => new Promise<{ code: number; wasClean: boolean }>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/ws`);
        ws.onmessage = (event) => {
          if (JSON.parse(event.data).type === 'welcome') ws.close(code, 'bye');
        };
        ws.onclose = (event) => resolve({ code: event.code, wasClean: event.wasClean });
      }), code);
      expect(closed).toEqual({ code, wasClean: true });
    } finally {
      await server.stop();
    }
  });
}
