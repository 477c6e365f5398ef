/**
 * Files to and from the host. Exports are downloaded from the host's token-protected HTTP: in the
 * browser as a plain link (the session cookie authorizes it, the browser streams it to disk), on the
 * desktop through the save dialog. Files to import are uploaded as the raw request body.
 */
import { EXPORT_DOWNLOAD_PATH, IMPORT_UPLOAD_PATH, type UploadedFile } from '../../../../shared/api/transfer';
import { bytesToBase64 } from '../../lib/base64';
import { platform } from '../../platform';

export async function uploadForImport(file: File): Promise<UploadedFile> {
  let response: Response;
  try {
    response = await fetch(`${platform.apiUrl}${IMPORT_UPLOAD_PATH}`, {
      method: 'POST',
      headers: { ...platform.authHeaders(), 'x-file-name': encodeURIComponent(file.name) },
      body: file,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new Error(
      `Could not upload ${file.name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) throw new Error((await response.text()) || `Upload failed (HTTP ${response.status})`);
  return (await response.json()) as UploadedFile;
}

export function exportUrl(fileId: string, fileName: string): string {
  return `${platform.apiUrl}${EXPORT_DOWNLOAD_PATH}${fileId}?name=${encodeURIComponent(fileName)}`;
}

/** Saves a finished export; resolves with where it went (a path on the desktop, the name in a browser). */
export async function downloadExport(fileId: string, fileName: string): Promise<string | null> {
  const url = exportUrl(fileId, fileName);
  if (platform.kind === 'browser') {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
    return fileName;
  }
  const response = await fetch(url, { headers: platform.authHeaders() });
  if (!response.ok) throw new Error((await response.text()) || `Download failed (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return platform.saveFile({
    suggestedName: fileName,
    dataBase64: bytesToBase64(bytes),
    filters: [{ name: 'Migration Desk export', extensions: fileName.endsWith('.gz') ? ['gz'] : ['json'] }],
  });
}
