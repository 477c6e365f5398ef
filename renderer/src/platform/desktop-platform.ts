import type { DesktopBridge, Platform } from './platform';

export function desktopPlatform(bridge: DesktopBridge): Platform {
  const headers = { authorization: `Bearer ${bridge.token}` };
  return {
    kind: 'desktop',
    apiUrl: bridge.apiUrl.replace(/\/+$/, ''),
    authHeaders: () => headers,
    openFile: (request) => bridge.openFile(request),
    saveFile: (request) => bridge.saveFile(request),
  };
}
