/** Serves the built renderer in browser mode (and to the desktop window, which loads the same URL). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Strict CSP: scripts only from this host, no eval, no framing. Styles allow inline because the
 * component library sets CSS variables through style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string | undefined,
): Promise<void> {
  if (!rendererDir) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('This host serves the API only (no renderer build was given).');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const requested = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  let file = join(rendererDir, requested);
  if (!file.startsWith(rendererDir + sep) && file !== rendererDir) {
    res.writeHead(403).end();
    return;
  }
  let info = await stat(file).catch(() => undefined);
  // Client-side routes fall back to the app shell; missing assets stay 404.
  if (!info?.isFile()) {
    if (extname(requested) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    file = join(rendererDir, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The renderer build is missing (${file}). Run \`npm run build\`.`);
      return;
    }
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': type,
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
