/**
 * The preload exposes exactly two things to the page: where the API is (with its token) and the
 * desktop-only services. No Node, no ipcRenderer, no Electron objects cross the bridge.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { type BootstrapInfo, IPC, type OpenFileRequest, type SaveFileRequest } from './shell/ipc-channels';

const bootstrap = ipcRenderer.sendSync(IPC.bootstrap) as BootstrapInfo | null;

if (bootstrap) {
  contextBridge.exposeInMainWorld('migrationDesk', {
    apiUrl: bootstrap.apiUrl,
    token: bootstrap.token,
    platform: 'desktop',
    openFile: (request: OpenFileRequest) => ipcRenderer.invoke(IPC.openFile, request),
    saveFile: (request: SaveFileRequest) => ipcRenderer.invoke(IPC.saveFile, request),
  });
}
