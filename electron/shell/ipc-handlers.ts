/**
 * The main-process side of the few desktop-only services. Every handler first checks that the
 * message comes from the app's own page: a frame from anywhere else gets nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dialog, IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './secure-window';
import {
  type BootstrapInfo,
  IPC,
  type OpenFileRequest,
  type OpenFileResult,
  type SaveFileRequest,
} from './ipc-channels';

const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent, appOrigin: string): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && isAppUrl(url, appOrigin);
}

export function registerIpcHandlers(ipcMain: IpcMain, dialog: Dialog, bootstrap: BootstrapInfo): void {
  const appOrigin = new URL(bootstrap.apiUrl).origin;

  ipcMain.on(IPC.bootstrap, (event) => {
    event.returnValue = isTrustedSender(event, appOrigin) ? bootstrap : null;
  });

  ipcMain.handle(IPC.openFile, async (event, request: OpenFileRequest): Promise<OpenFileResult | null> => {
    if (!isTrustedSender(event, appOrigin)) throw new Error('refused: untrusted sender');
    const result = await dialog.showOpenDialog({
      title: request?.title ?? 'Open',
      properties: ['openFile'],
      filters: request?.filters,
    });
    const file = result.filePaths[0];
    if (result.canceled || !file) return null;
    const data = await readFile(file);
    if (data.length > MAX_OPEN_BYTES) throw new Error(`${basename(file)} is larger than 512 MiB`);
    return { name: basename(file), dataBase64: data.toString('base64') };
  });

  ipcMain.handle(IPC.saveFile, async (event, request: SaveFileRequest): Promise<string | null> => {
    if (!isTrustedSender(event, appOrigin)) throw new Error('refused: untrusted sender');
    const result = await dialog.showSaveDialog({
      defaultPath: request.suggestedName,
      filters: request.filters,
    });
    if (result.canceled || !result.filePath) return null;
    await writeFile(result.filePath, Buffer.from(request.dataBase64, 'base64'), { mode: 0o600 });
    return result.filePath;
  });
}
