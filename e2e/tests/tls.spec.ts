import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Server, openChat, say, messages } from './support';

/** A self-signed certificate for localhost and 127.0.0.1, made for this test. */
function makeCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-e2e-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert, key };
}

test('over HTTPS the web client loads and chats over WSS', async ({ browser }) => {
  const { cert, key } = makeCertificate();
  const server = await new Server().start(['--tls-cert', cert, '--tls-key', key]);
  try {
    expect(server.url).toMatch(/^https:\/\//);
    const ann = await openChat(browser, server, 'Ann');
    const bob = await openChat(browser, server, 'Bob');
    expect(ann.page.url()).toMatch(/^https:\/\//);
    await say(ann.page, 'sent over TLS');
    await expect(messages(bob.page).locator('.msg', { hasText: 'sent over TLS' })).toHaveCount(1);
    await ann.page.screenshot({ path: 'test-results/tls-desktop.png' });
  } finally {
    await server.stop();
  }
});
