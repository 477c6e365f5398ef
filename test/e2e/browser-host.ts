/**
 * Starts the browser host the way the README tells an operator to (`npm run web -- --port N
 * --no-open --data-dir DIR`) and a headless Debian Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const artifactsDir = join(process.env.MDESK_TEST_ARTIFACTS ?? join(repoRoot, 'test-artifacts'), 'e2e');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BrowserHost {
  url: string;
  port: number;
  dataDir: string;
  stdoutLines: string[];
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface BrowserHostOptions {
  /** Reuse a data dir (an app restart); it is then left in place by stop(). */
  dataDir?: string;
  /** Extra environment for the host process (a fixture's scenario file, say). */
  env?: NodeJS.ProcessEnv;
  /** Listen on this port (a restart at the same address, which open pages keep using); default a free one. */
  port?: number;
  /** Serve this renderer build instead of dist/renderer (a bench comparing two builds side by side). */
  rendererDir?: string;
}

export async function startBrowserHost(options: BrowserHostOptions = {}): Promise<BrowserHost> {
  if (!existsSync(join(repoRoot, 'dist/electron/host.cjs'))) {
    throw new Error(
      'The app is not built: run `npm run build` (npm test does it) before the end-to-end tests.',
    );
  }
  const port = options.port ?? (await freePort());
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mdesk-e2e-'));
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'scripts/web.mjs'),
      ...['--port', String(port), '--no-open', '--data-dir', dataDir],
      ...(options.rendererDir ? ['--renderer-dir', options.rendererDir] : []),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdoutLines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`browser host did not start within 30 s: ${stderr}`)),
      30_000,
    );
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        stdoutLines.push(line);
        const match = /^Migration Desk listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
        newline = buffer.indexOf('\n');
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    port,
    dataDir,
    stdoutLines,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
