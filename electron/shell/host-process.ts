/**
 * Starts the core host in an Electron utility process, so ZooKeeper walks, copies and SQLite work
 * never block the window's main thread, and hands it its settings over the parent port (the token
 * and key never appear on a command line or in the environment).
 */
import type { UtilityProcess } from 'electron';

export interface HostProcessSettings {
  hostScript: string;
  token: string;
  dataDir: string;
  rendererDir: string;
  secretKey: Buffer;
  readyTimeoutMs?: number;
}

export interface HostProcessHandle {
  origin: string;
  port: number;
  child: UtilityProcess;
}

type ForkFn = (
  modulePath: string,
  args?: string[],
  options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' },
) => UtilityProcess;

export function startHostProcess(fork: ForkFn, settings: HostProcessSettings): Promise<HostProcessHandle> {
  const child = fork(settings.hostScript, [], { serviceName: 'Migration Desk core', stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`The core host did not start within ${(settings.readyTimeoutMs ?? 20_000) / 1000} s`));
    }, settings.readyTimeoutMs ?? 20_000);
    child.on('message', (message: { type: string; origin?: string; port?: number; message?: string }) => {
      if (message?.type === 'ready' && message.origin && message.port) {
        clearTimeout(timer);
        resolve({ origin: message.origin, port: message.port, child });
      } else if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(message.message ?? 'The core host failed to start'));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The core host exited during start-up (code ${code})`));
    });
    child.postMessage({
      type: 'start',
      token: settings.token,
      dataDir: settings.dataDir,
      rendererDir: settings.rendererDir,
      secretKeyBase64: settings.secretKey.toString('base64'),
    });
  });
}
