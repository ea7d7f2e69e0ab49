// Time from spawning a cold `confab` to the browser showing "Connected".
// The browser is started first, so only the server start, page load, wasm start
// and WebSocket handshake are counted. Usage: node bench/cold-start.mjs [runs]
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const binary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/release/confab');
const runs = Number(process.argv[2] ?? 5);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext(); // empty cache: a first visit
  const page = await context.newPage();
  const start = performance.now();
  const db = `/tmp/cold-start-${process.pid}-${i}.db`;
  const child = spawn(binary, ['--addr', '127.0.0.1:0', '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve) => child.stdout.on('data', (d) => {
    const m = /listening on (\S+)/.exec(d.toString());
    if (m) resolve(m[1]);
  }));
  await page.goto(url);
  await page.getByTestId('status').filter({ hasText: /^Connected$/ }).waitFor();
  times.push(performance.now() - start);
  await context.close();
  child.kill('SIGTERM');
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`cold start to "Connected", ${runs} runs: median ${times[runs >> 1].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms`);
