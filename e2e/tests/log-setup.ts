import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Every server of the run logs everything (debug) to one file; teardown scans it. */
export default function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-e2e-log-'));
  process.env.CONFAB_E2E_LOG = path.join(dir, 'servers.log');
}
