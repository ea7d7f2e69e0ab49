import { test, expect, Page } from '@playwright/test';
import * as zlib from 'node:zlib';
import { Server, openChat, messages, say, signUp } from './support';

const shots = 'test-results/screenshots';

/** A real PNG of `width`×`height`: a diagonal gradient, so a screenshot shows
 * whether it was drawn whole. */
function png(width: number, height: number, hue = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = (hue + (x * 255) / width) & 255;
      rows[at + 1] = (y * 255) / height;
      rows[at + 2] = 200;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const bubble = (page: Page, text: string) =>
  messages(page).locator('[data-testid=message]', { hasText: text });

/** Dispatches a paste (on the composer) or a drop (on the chat) of one file. */
async function hand(page: Page, how: 'paste' | 'drop', name: string, type: string, bytes: Buffer) {
  const target = how === 'paste' ? page.locator('#composer-input') : page.locator('main.chat');
  await target.evaluate((el, { how, name, type, b64 }) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const files = new DataTransfer();
    files.items.add(new File([data], name, { type }));
    const init = { bubbles: true, cancelable: true };
    if (how === 'paste') {
      el.dispatchEvent(new ClipboardEvent('paste', { ...init, clipboardData: files }));
    } else {
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        el.dispatchEvent(new DragEvent(kind, { ...init, dataTransfer: files }));
      }
    }
  }, { how, name, type, b64: bytes.toString('base64') });
}

test('images: picked, pasted or dropped, previewed for everyone, opened in a lightbox', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const ann = await openChat(browser, server);
    await signUp(ann.page, 'Ann');
    const bob = await openChat(browser, server, undefined, { width: 390, height: 844 });
    await signUp(bob.page, 'Bob');
    const guest = await openChat(browser, server, 'Cy');

    // Ann picks an image with 📎: it uploads, waits in the tray, goes with her words.
    await ann.page.getByTestId('attach-input').setInputFiles({
      name: 'logo.png', mimeType: 'image/png', buffer: png(640, 400),
    });
    await expect(ann.page.getByTestId('tray').locator('img')).toBeVisible();
    await say(ann.page, 'Our new logo');
    await expect(ann.page.getByTestId('tray')).toHaveCount(0);
    for (const page of [ann.page, bob.page, guest.page]) {
      const image = bubble(page, 'Our new logo').getByTestId('attachment');
      await expect(image).toBeVisible();
      await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(640);
      // Bounded in the list, the aspect ratio kept.
      const box = (await image.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(320);
      expect(Math.abs(box.width / box.height - 1.6)).toBeLessThan(0.05);
    }

    // Bob opens it: the lightbox shows it large; Escape closes it.
    await bubble(bob.page, 'Our new logo').getByTestId('attachment').click();
    const lightbox = bob.page.getByTestId('lightbox');
    await expect(lightbox).toBeVisible();
    await bob.page.screenshot({ path: `${shots}/uploads-lightbox-phone-light.png` });
    await bob.page.keyboard.press('Escape');
    await expect(lightbox).toHaveCount(0);

    // Bob pastes a screenshot and sends it without words.
    await hand(bob.page, 'paste', 'screenshot.png', 'image/png', png(300, 300, 120));
    await expect(bob.page.getByTestId('tray').locator('img')).toBeVisible();
    await bob.page.locator('#composer-input').press('Enter');
    const pasted = messages(ann.page).locator('[data-testid=message]', { hasText: 'Bob' }).getByTestId('attachment');
    await expect(pasted).toBeVisible();
    await expect.poll(() => pasted.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(300);

    // Ann drops a file on the chat; one that only claims to be a PNG is refused.
    await hand(ann.page, 'drop', 'chart.png', 'image/png', png(200, 120, 60));
    await hand(ann.page, 'drop', 'fake.png', 'image/png', Buffer.from('<html><script>alert(1)</script></html>'));
    const tray = ann.page.getByTestId('tray');
    await expect(tray.locator('img')).toHaveCount(1);
    await expect(tray.getByRole('alert')).toContainText('not an image');
    await ann.page.screenshot({ path: `${shots}/uploads-tray-desktop-light.png` });
    await say(ann.page, 'Numbers for Q3');
    await expect(bubble(bob.page, 'Numbers for Q3').getByTestId('attachment')).toBeVisible();
    await expect(tray).toHaveCount(0);

    // A guest may look, not upload: no 📎, and a paste is told why.
    await expect(guest.page.getByRole('button', { name: 'Attach images' })).toHaveCount(0);
    await hand(guest.page, 'paste', 'x.png', 'image/png', png(10, 10));
    await expect(guest.page.getByTestId('tray').getByRole('alert')).toHaveText('Sign in to share images');

    // Kept: after a reload, history brings the images back.
    await bob.page.reload();
    await expect(bubble(bob.page, 'Our new logo').getByTestId('attachment')).toBeVisible();
    await ann.page.screenshot({ path: `${shots}/uploads-desktop-light.png` });
    await bob.page.screenshot({ path: `${shots}/uploads-phone-light.png` });
    await ann.page.emulateMedia({ colorScheme: 'dark' });
    await ann.page.screenshot({ path: `${shots}/uploads-desktop-dark.png` });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await bob.page.screenshot({ path: `${shots}/uploads-phone-dark.png` });
    await bubble(ann.page, 'Our new logo').getByTestId('attachment').click();
    await ann.page.screenshot({ path: `${shots}/uploads-lightbox-desktop-dark.png` });
  } finally {
    await server.stop();
  }
});
