import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialog, IpcMain } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { IPC } from '../../../electron/shell/ipc-channels';
import { registerIpcHandlers } from '../../../electron/shell/ipc-handlers';

const ORIGIN = 'http://127.0.0.1:4321';
const dir = mkdtempSync(join(tmpdir(), 'mdesk-ipc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function setup() {
  const on = new Map<string, Handler>();
  const handle = new Map<string, Handler>();
  const ipcMain = {
    on: (channel: string, fn: Handler) => on.set(channel, fn),
    handle: (channel: string, fn: Handler) => handle.set(channel, fn),
  } as unknown as IpcMain;
  const source = join(dir, 'in.bin');
  writeFileSync(source, Buffer.from([0, 255, 1, 254]));
  const target = join(dir, 'out.json.gz');
  const dialog = {
    showOpenDialog: async () => ({ canceled: false, filePaths: [source] }),
    showSaveDialog: async () => ({ canceled: false, filePath: target }),
  } as unknown as Dialog;
  registerIpcHandlers(ipcMain, dialog, { apiUrl: ORIGIN, token: 't0ken' });
  return { on, handle, target };
}

const trusted = { senderFrame: { url: `${ORIGIN}/explorer` } };
const foreign = { senderFrame: { url: 'https://evil.example/' } };

describe('IPC handlers', () => {
  it('hands the API address and token only to the app page', () => {
    const { on } = setup();
    const bootstrap = on.get(IPC.bootstrap)!;
    const good: { returnValue?: unknown; senderFrame: unknown } = { ...trusted };
    bootstrap(good);
    expect(good.returnValue).toEqual({ apiUrl: ORIGIN, token: 't0ken' });
    const bad: { returnValue?: unknown; senderFrame: unknown } = { ...foreign };
    bootstrap(bad);
    expect(bad.returnValue).toBeNull();
    const frameless: { returnValue?: unknown; senderFrame: null } = { senderFrame: null };
    bootstrap(frameless);
    expect(frameless.returnValue).toBeNull();
  });

  it('opens a file as bytes and refuses foreign senders', async () => {
    const { handle } = setup();
    const open = handle.get(IPC.openFile)!;
    expect(await open(trusted, {})).toEqual({
      name: 'in.bin',
      dataBase64: Buffer.from([0, 255, 1, 254]).toString('base64'),
    });
    await expect(async () => open(foreign, {})).rejects.toThrow(/untrusted sender/);
  });

  it('saves bytes exactly, readable by the owner only', async () => {
    const { handle, target } = setup();
    const save = handle.get(IPC.saveFile)!;
    const bytes = Buffer.from([0x1f, 0x8b, 0, 0xff]);
    expect(await save(trusted, { suggestedName: 'x', dataBase64: bytes.toString('base64') })).toBe(target);
    expect(readFileSync(target)).toEqual(bytes);
    expect(statSync(target).mode & 0o077).toBe(0);
    await expect(async () => save(foreign, { suggestedName: 'x', dataBase64: '' })).rejects.toThrow(
      /untrusted sender/,
    );
  });
});
