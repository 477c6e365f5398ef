/**
 * Files over the host's HTTP, behind the same guard as the API (token, Host and Origin checks):
 * - GET /files/exports/<id>: a finished export as a download (streamed, never held in memory);
 * - POST /files/imports: the raw bytes of a file to import, streamed to the data folder's imports/
 *   with its SHA-256, answered with the id the import preview takes.
 * Why not through tRPC: exports of large trees are tens of megabytes, and JSON-in-JSON (base64 in a
 * batch response) would hold them several times over in both processes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  EXPORT_DOWNLOAD_PATH,
  IMPORT_UPLOAD_PATH,
  MAX_IMPORT_BYTES,
  type UploadedFile,
} from '../../shared/api/transfer';
import type { HostServices } from './services/host-services';
import { exportFileOf, uploadsDir } from './services/transfer-service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isFileTransfer(url: string | undefined): boolean {
  return !!url && (url.startsWith(EXPORT_DOWNLOAD_PATH) || url.split('?')[0] === IMPORT_UPLOAD_PATH);
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message);
}

/** A file name safe in a Content-Disposition header (ASCII), with the UTF-8 form beside it. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function download(req: IncomingMessage, res: ServerResponse, services: HostServices): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    fail(res, 405, 'Use GET to download an export.');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fileId = url.pathname.slice(EXPORT_DOWNLOAD_PATH.length);
  const file = UUID.test(fileId) ? exportFileOf(services, fileId) : undefined;
  if (!file) {
    fail(res, 404, 'No such export on this host: export the subtree again.');
    return;
  }
  const gzip = file.endsWith('.gz');
  const name = url.searchParams.get('name') || `export-${fileId}${gzip ? '.json.gz' : '.json'}`;
  res.writeHead(200, {
    'content-type': gzip ? 'application/gzip' : 'application/json; charset=utf-8',
    'content-length': statSync(file).size,
    'content-disposition': disposition(name),
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res);
}

async function upload(req: IncomingMessage, res: ServerResponse, services: HostServices): Promise<void> {
  if (req.method !== 'POST') {
    fail(res, 405, 'Use POST with the file as the body to upload it.');
    return;
  }
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES) {
    fail(
      res,
      413,
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB, the most an import takes.`,
    );
    req.resume();
    return;
  }
  const rawName = req.headers['x-file-name'];
  const name = decodeURIComponent(
    typeof rawName === 'string' && rawName !== '' ? rawName : 'upload.json',
  ).slice(0, 255);
  const dir = uploadsDir(services);
  // Imports hold node data (and ACL ids): private, like the store.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileId = randomUUID();
  const file = join(dir, `${fileId}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    hash.update(chunk);
    if (size > MAX_IMPORT_BYTES && !tooLarge) {
      tooLarge = true;
      req.destroy(new Error('too large'));
    }
  });
  try {
    await pipeline(req, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    rmSync(file, { force: true });
    if (tooLarge)
      fail(
        res,
        413,
        `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB, the most an import takes.`,
      );
    else
      fail(
        res,
        400,
        `The upload did not complete (${error instanceof Error ? error.message : String(error)}): try again.`,
      );
    return;
  }
  if (size === 0) {
    rmSync(file, { force: true });
    fail(res, 400, `${name} is empty: nothing to import.`);
    return;
  }
  const digest = `sha256:${hash.digest('hex')}`;
  writeFileSync(join(dir, `${fileId}.json`), JSON.stringify({ name, size, digest }), { mode: 0o600 });
  const body: UploadedFile = { fileId, name, size };
  res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Handles a request isFileTransfer() accepted. */
export async function serveFileTransfer(
  req: IncomingMessage,
  res: ServerResponse,
  services: HostServices,
): Promise<void> {
  try {
    if (req.url?.startsWith(EXPORT_DOWNLOAD_PATH)) await download(req, res, services);
    else await upload(req, res, services);
  } catch (error) {
    fail(res, 500, `File transfer failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
