/** The browser shell: files go through a file input and a Blob download instead of OS dialogs. */
import { base64ToBytes, bytesToBase64 } from '../lib/base64';
import type { OpenFileRequest, OpenFileResult, Platform, SaveFileRequest } from './platform';

function acceptAttribute(request: OpenFileRequest): string {
  const extensions = (request.filters ?? [])
    .flatMap((filter) => filter.extensions)
    .filter((ext) => ext !== '*');
  return extensions.map((ext) => `.${ext}`).join(',');
}

function openFileWithInput(request: OpenFileRequest): Promise<OpenFileResult | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    const accept = acceptAttribute(request);
    if (accept) input.accept = accept;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) {
        resolve(null);
        return;
      }
      file
        .arrayBuffer()
        .then((buffer) => resolve({ name: file.name, dataBase64: bytesToBase64(new Uint8Array(buffer)) }))
        .catch(reject);
    });
    // Chromium fires 'cancel' when the picker is dismissed; without it the promise would never settle.
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

function saveFileAsDownload(request: SaveFileRequest): Promise<string | null> {
  const bytes = base64ToBytes(request.dataBase64);
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = request.suggestedName;
  link.click();
  // The download has started by the next task; the URL is no longer needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return Promise.resolve(request.suggestedName);
}

export function browserPlatform(origin: string = window.location.origin): Platform {
  return {
    kind: 'browser',
    apiUrl: origin,
    // The host set an HttpOnly cookie on the first page load; fetches from this page carry it.
    authHeaders: () => ({}),
    openFile: openFileWithInput,
    saveFile: saveFileAsDownload,
  };
}
