import { describe, expect, it, vi } from 'vitest';

const stub = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoke: vi.fn(async () => null),
  sendSync: vi.fn(() => ({ apiUrl: 'http://127.0.0.1:45678', token: 'tok' })),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => stub.exposed.set(key, api),
  },
  ipcRenderer: { sendSync: stub.sendSync, invoke: stub.invoke },
}));

describe('preload', () => {
  it('exposes only the API address, the token and the desktop services', async () => {
    await import('../../../electron/preload');
    expect([...stub.exposed.keys()]).toEqual(['migrationDesk']);
    const api = stub.exposed.get('migrationDesk')!;
    expect(Object.keys(api).sort()).toEqual(['apiUrl', 'openFile', 'platform', 'saveFile', 'token']);
    expect(api.apiUrl).toBe('http://127.0.0.1:45678');
    expect(api.platform).toBe('desktop');
    // No Electron object crosses the bridge: only functions that forward to fixed channels.
    await (api.openFile as (r: unknown) => Promise<unknown>)({ title: 'x' });
    expect(stub.invoke).toHaveBeenCalledWith('mdesk:open-file', { title: 'x' });
  });
});
