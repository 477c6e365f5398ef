/**
 * `npm start` on a machine without the Electron binary (this one: it cannot be downloaded here) must
 * say so in one line and start the browser host instead.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from './browser-host';

const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start without Electron', () => {
  it('explains in one line and serves the browser host', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'scripts/start.mjs'), '--port', String(port), '--no-open', '--data-dir', dataDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      await expect
        .poll(() => stdout, { timeout: 60_000, interval: 200 })
        .toMatch(/Migration Desk listening on http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const fallbackLines = stderr
        .split('\n')
        .filter((line) => line.startsWith('Electron is not available here'));
      expect(fallbackLines).toHaveLength(1);
      expect(fallbackLines[0]).toMatch(/starting the browser host instead/);
      const url = /(http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
      expect(url).toContain(`:${port}/`);
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(303);
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
  });
});
