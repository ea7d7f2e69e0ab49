import * as fs from 'node:fs';
import { SECRETS } from './support';

/** After the whole run: no password, token or message body the tests used is in
 * any server's log. Tokens (session and resume) are 64 hex digits; none may appear. */
export default function globalTeardown() {
  const file = process.env.CONFAB_E2E_LOG;
  if (!file || !fs.existsSync(file)) throw new Error('the e2e servers wrote no log to scan');
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes('signed in')) throw new Error('the log does not cover signing in: nothing was scanned');
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`a server log holds ${JSON.stringify(secret)} (${file})`);
  }
  const token = /\b[0-9a-f]{64}\b/.exec(text);
  if (token) throw new Error(`a server log holds a token: ${token[0]} (${file})`);
  console.log(`log scan: ${text.split('\n').length} lines from every e2e server, no secret found`);
}
