import { spawn, execFileSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Page, expect } from '@playwright/test';

const BINARY = path.resolve(__dirname, '../../target/release/confab');

/** The release binary, started on a free port with its own database; each test gets
 * its own. Pass `addr` and `db` of a stopped server to restart it on the same data. */
export class Server {
  private child?: ChildProcess;
  /** The server logs everything (debug) to this file, appending: by default the
   * run's shared log, which `log-scan.ts` checks for secrets at the end. */
  public logFile? = process.env.CONFAB_E2E_LOG;
  constructor(
    public addr = '127.0.0.1:0',
    public db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'confab-e2e-')), 'confab.db'),
  ) {}

  /** `https` once the server said it listens with TLS. */
  public scheme = 'http';
  get url() { return `${this.scheme}://${this.addr}`; }

  async start(args: string[] = []): Promise<Server> {
    const stderr = this.logFile ? fs.openSync(this.logFile, 'a') : 'inherit';
    const env = this.logFile ? { ...process.env, RUST_LOG: 'debug' } : process.env;
    const child = spawn(BINARY, ['--addr', this.addr, '--db', this.db, ...args], { stdio: ['ignore', 'pipe', stderr], env });
    this.child = child;
    this.addr = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`confab exited early (${code})`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        const m = /confab listening on (https?):\/\/(\S+)/.exec(chunk.toString());
        if (m) { this.scheme = m[1]; resolve(m[2]); }
      });
    });
    return this;
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Runs `confab --db DB admin ARGS…` against `server`'s database (it may be running). */
export function admin(server: Server, ...args: string[]): string {
  return execFileSync(BINARY, ['--db', server.db, 'admin', ...args]).toString();
}

/** A person in their own browser context, with the chat open and connected. */
export async function openChat(browser: Browser, server: Server, name?: string, viewport = { width: 1280, height: 800 }) {
  // A test's TLS certificate is self-signed: this browser trusts it.
  const context = await browser.newContext({ viewport, ignoreHTTPSErrors: server.scheme === 'https' });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(server.url);
  await expect(page.getByTestId('status')).toHaveText('Connected');
  if (name) await rename(page, name);
  return { context, page, dialogs };
}

export async function rename(page: Page, name: string) {
  // On a phone the nickname form lives in the People drawer.
  const drawer = page.getByRole('button', { name: /People/ });
  const phone = await drawer.isVisible();
  if (phone) await drawer.click();
  await page.locator('#name-input').fill(name);
  await page.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(page.locator('[data-testid=users] .user.me .user-name')).toHaveText(name);
  if (phone) await drawer.click();
}

export async function say(page: Page, text: string) {
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
}

export async function openForm(page: Page) {
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
}

export async function fillForm(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
}

export async function signUp(page: Page, username: string) {
  await openForm(page);
  await fillForm(page, username, PASSWORD);
  await page.getByTestId('sign-up').click();
  await expect(page.getByTestId('account-name')).toHaveText(username);
  await expect(page.getByTestId('status')).toHaveText('Connected');
}

export async function signIn(page: Page, username: string, password = PASSWORD) {
  await openForm(page);
  await fillForm(page, username, password);
  await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Passwords and message bodies the tests type that must never reach a log. */
export const PASSWORD = 'correct horse battery';
export const SECRETS = [PASSWORD, 'not my password', 'hello from my account', 'first private',
  'while you were away', 'typed on my second device', 'Morning all! Stand-up in 10?',
  'buy cheap watches here', 'posting spam links', 'typed while the server was away'];

export const messages = (page: Page) => page.getByTestId('messages');
export const users = (page: Page) => page.locator('[data-testid=users] .user-name');
export const onlineCount = (page: Page) => page.getByTestId('online-count');

/** Stores `contents` in general, in order, through a plain WebSocket from a page
 * of its own, and waits until every one is acknowledged (stored). */
export async function storeMessages(browser: Browser, server: Server, contents: string[]) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.url);
  await page.evaluate(async ({ url, contents }) => {
    const ws = new WebSocket(url);
    await new Promise((r) => (ws.onopen = r));
    let acked = 0;
    const done = new Promise<void>((resolve) => {
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === 'message' && m.txn_id && ++acked === contents.length) resolve();
      };
    });
    contents.forEach((content, i) => ws.send(JSON.stringify({ type: 'message', content, txn_id: `s${i}` })));
    await done;
    ws.close();
  }, { url: `ws://${server.addr}/ws`, contents });
  await page.context().close();
}
