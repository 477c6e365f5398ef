/**
 * Entry point of the core host process.
 * - Browser mode (`npm run web -- [--port N] [--no-open] [--data-dir DIR]`): prints exactly one line
 *   `Migration Desk listening on http://127.0.0.1:N/?token=T` on stdout; diagnostics go to stderr.
 * - Desktop mode: started by Electron's utilityProcess; takes its settings from the parent port and
 *   answers with the address, never printing the token.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseBrowserArgs } from './browser-args';
import { type RunningHost, startHost } from './start-host';

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser; open the URL above by hand.\n`));
  child.unref();
}

function defaultRendererDir(): string | undefined {
  // The bundle sits in dist/electron/; the renderer build in dist/renderer/.
  const candidate = join(__dirname, '..', 'renderer');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

function stopOnSignals(host: RunningHost): void {
  const stop = () => {
    host
      .stop()
      .catch((error: unknown) => process.stderr.write(`error while stopping: ${String(error)}\n`))
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runBrowserHost(argv: string[]): Promise<void> {
  const args = parseBrowserArgs(argv);
  const host = await startHost({
    mode: 'browser',
    port: args.port,
    dataDir: args.dataDir,
    rendererDir: args.rendererDir ?? defaultRendererDir(),
  });
  process.stdout.write(`Migration Desk listening on ${host.launchUrl}\n`);
  stopOnSignals(host);
  if (args.open) openBrowser(host.launchUrl);
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface DesktopStartMessage {
  type: 'start';
  token: string;
  dataDir: string;
  rendererDir: string;
  secretKeyBase64: string;
}

async function runDesktopHost(parentPort: ParentPort): Promise<void> {
  parentPort.on('message', ({ data }) => {
    const message = data as DesktopStartMessage;
    if (message?.type !== 'start') return;
    startHost({
      mode: 'desktop',
      token: message.token,
      dataDir: message.dataDir,
      rendererDir: message.rendererDir,
      secretKey: Buffer.from(message.secretKeyBase64, 'base64'),
    })
      .then((host) => {
        stopOnSignals(host);
        parentPort.postMessage({ type: 'ready', origin: host.origin, port: host.port });
      })
      .catch((error: unknown) => {
        parentPort.postMessage({
          type: 'failed',
          message: error instanceof Error ? error.message : String(error),
        });
      });
  });
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const run = parentPort ? runDesktopHost(parentPort) : runBrowserHost(process.argv.slice(2));
run.catch((error: unknown) => {
  process.stderr.write(
    `Migration Desk could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
