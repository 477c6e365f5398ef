/**
 * What the renderer needs from the shell it runs in. The desktop shell provides it through the
 * preload; the browser falls back to a file input and a Blob download. Nothing else differs.
 */
import type { OpenFileRequest, OpenFileResult, SaveFileRequest } from '../../../electron/shell/ipc-channels';

export type { OpenFileRequest, OpenFileResult, SaveFileRequest };

export interface Platform {
  kind: 'desktop' | 'browser';
  /** Origin of the core host, e.g. http://127.0.0.1:7799 (the page's own origin in both shells). */
  apiUrl: string;
  /** Headers for API fetches. EventSource cannot send headers: SSE relies on the host's cookie. */
  authHeaders(): Record<string, string>;
  /** null when the operator cancels. */
  openFile(request: OpenFileRequest): Promise<OpenFileResult | null>;
  /** Where the file went (a path on desktop, the file name in the browser), or null when cancelled. */
  saveFile(request: SaveFileRequest): Promise<string | null>;
}

/** The object the desktop preload puts on `window` (see electron/preload.ts). */
export interface DesktopBridge {
  apiUrl: string;
  token: string;
  platform: 'desktop';
  openFile(request: OpenFileRequest): Promise<OpenFileResult | null>;
  saveFile(request: SaveFileRequest): Promise<string | null>;
}
