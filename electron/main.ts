/**
 * Electron main process: window and security only. Everything else (ZooKeeper, engines, store) runs
 * in the core host, the same program the browser mode runs, started here in a utility process.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, utilityProcess } from 'electron';
import { newToken } from './host/token';
import { loadDataKey } from './shell/data-key';
import { startHostProcess } from './shell/host-process';
import { registerIpcHandlers } from './shell/ipc-handlers';
import { denyAllPermissions, guardWebContents, secureWindowOptions } from './shell/secure-window';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second instance would open the same SQLite store: focus the first one instead.
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.whenReady().then(async () => {
    try {
      const dataDir = app.getPath('userData');
      const { key, protectedBy } = loadDataKey(dataDir, safeStorage);
      if (protectedBy === 'key-file') {
        console.warn(
          'No OS keychain available: secrets are sealed with a key file (0600) in the data folder.',
        );
      }
      const token = newToken();
      const host = await startHostProcess(utilityProcess.fork, {
        hostScript: join(__dirname, 'host.cjs'),
        token,
        dataDir,
        rendererDir: join(__dirname, '..', 'renderer'),
        secretKey: key,
      });
      const openExternal = (url: string) => void shell.openExternal(url);
      app.on('web-contents-created', (_event, contents) =>
        guardWebContents(contents, host.origin, openExternal),
      );
      denyAllPermissions(session.defaultSession);
      registerIpcHandlers(ipcMain, dialog, { apiUrl: host.origin, token });

      window = new BrowserWindow(secureWindowOptions(join(__dirname, 'preload.cjs')));
      window.once('ready-to-show', () => window?.show());
      await window.loadURL(`${host.origin}/?token=${token}`);
      app.on('before-quit', () => host.child.kill());
    } catch (error) {
      dialog.showErrorBox(
        'Migration Desk could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.quit();
    }
  });

  app.on('window-all-closed', () => app.quit());
}
