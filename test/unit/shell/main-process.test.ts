/**
 * The Electron binary cannot run on these machines, so the shell's wiring is tested against a stubbed
 * `electron` module: which window settings it uses, what it loads, how it starts the core host.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const userData = mkdtempSync(join(tmpdir(), 'mdesk-main-'));
afterAll(() => rmSync(userData, { recursive: true, force: true }));

const stub = vi.hoisted(() => {
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const windows: { options: unknown; loaded: string[] }[] = [];
  const forks: { path: string; messages: unknown[] }[] = [];
  const app = Object.assign(new Emitter(), {
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn(() => ''),
    quit: vi.fn(),
  });
  class BrowserWindow extends Emitter {
    constructor(public options: unknown) {
      super();
      windows.push(this as unknown as { options: unknown; loaded: string[] });
      (this as unknown as { loaded: string[] }).loaded = [];
    }
    async loadURL(url: string) {
      (this as unknown as { loaded: string[] }).loaded.push(url);
    }
    show() {}
    isMinimized() {
      return false;
    }
  }
  const utilityProcess = {
    fork: vi.fn((path: string) => {
      const child = Object.assign(new Emitter(), {
        messages: [] as unknown[],
        kill: vi.fn(),
        postMessage(message: unknown) {
          this.messages.push(message);
          queueMicrotask(() =>
            child.emit('message', { type: 'ready', origin: 'http://127.0.0.1:45678', port: 45678 }),
          );
        },
      });
      forks.push({ path, messages: child.messages });
      return child;
    }),
  };
  const safeStorage = {
    isEncryptionAvailable: () => true,
    encryptString: (text: string) => Buffer.from(`sealed:${text}`),
    decryptString: (data: Buffer) => data.toString().replace(/^sealed:/, ''),
  };
  const session = {
    defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
  };
  const ipcMain = { on: vi.fn(), handle: vi.fn() };
  return {
    app,
    BrowserWindow,
    utilityProcess,
    safeStorage,
    session,
    ipcMain,
    windows,
    forks,
    dialog: { showErrorBox: vi.fn() },
    shell: { openExternal: vi.fn() },
  };
});

vi.mock('electron', () => stub);

describe('Electron main process', () => {
  it('starts the core host in a utility process and opens one hardened window on it', async () => {
    stub.app.getPath.mockReturnValue(userData);
    await import('../../../electron/main');
    await vi.waitFor(() => expect(stub.windows).toHaveLength(1));
    await vi.waitFor(() => expect(stub.windows[0]?.loaded).toHaveLength(1));

    expect(stub.app.enableSandbox).toHaveBeenCalled();
    expect(stub.forks).toHaveLength(1);
    expect(stub.forks[0]?.path).toMatch(/host\.cjs$/);
    const start = stub.forks[0]?.messages[0] as {
      type: string;
      token: string;
      dataDir: string;
      secretKeyBase64: string;
    };
    expect(start.type).toBe('start');
    expect(start.dataDir).toBe(userData);
    expect(Buffer.from(start.secretKeyBase64, 'base64')).toHaveLength(32);
    // The key is at rest only in keychain-sealed form.
    expect(readFileSync(join(userData, 'secret.key.enc'), 'utf8')).toMatch(/^sealed:/);

    const window = stub.windows[0]!;
    expect(window.options).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false },
    });
    expect(window.loaded[0]).toBe(`http://127.0.0.1:45678/?token=${start.token}`);
    expect(start.token.length).toBeGreaterThanOrEqual(40);

    expect(stub.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(stub.ipcMain.on).toHaveBeenCalledWith('mdesk:bootstrap', expect.any(Function));
    expect(stub.app.listenerCount('web-contents-created')).toBe(1);
    expect(stub.app.listenerCount('window-all-closed')).toBe(1);
  });

  it('guards every web contents the app creates', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    stub.app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});
