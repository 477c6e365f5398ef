/** The HTTP server of the core host: guard, then the tRPC API under /trpc, then the renderer. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { isFileTransfer, serveFileTransfer } from './file-transfer';
import { checkRequest } from './http-guard';
import { appRouter } from './router';
import type { HostServices } from './services/host-services';
import { serveStatic } from './static-files';
import { newToken } from './token';

export const API_BASE_PATH = '/trpc/';

export interface HttpServerOptions {
  services: HostServices;
  /** 0 or undefined: a free port. */
  port?: number;
  /** Per-launch token; generated when not given. */
  token?: string;
  /** Built renderer to serve (browser mode and the desktop window). */
  rendererDir?: string;
  log?: (line: string) => void;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  token: string;
  /** Origin of the API and renderer, e.g. http://127.0.0.1:7777 */
  origin: string;
  /** The URL to open: carries the token once, the host trades it for a cookie. */
  launchUrl: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  let port = options.port ?? 0;

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: API_BASE_PATH,
    createContext: () => ({ services: options.services }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`API error in ${path ?? '?'}: ${error.message}`);
    },
  });

  const server = createServer((req, res) => {
    const verdict = checkRequest(req, { port, token });
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    if (verdict.kind === 'deny') {
      res.writeHead(verdict.status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(verdict.message);
      return;
    }
    if (verdict.kind === 'exchange') {
      res.writeHead(303, {
        location: verdict.location,
        'set-cookie': verdict.cookie,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (isFileTransfer(req.url)) {
      res.setHeader('cache-control', 'no-store');
      void serveFileTransfer(req, res, options.services);
      return;
    }
    if (req.url?.startsWith(API_BASE_PATH)) {
      res.setHeader('cache-control', 'no-store');
      trpc(req, res);
      return;
    }
    serveStatic(req, res, options.rendererDir).catch((error: unknown) => {
      log(`static file error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is already in use: pick another with --port, or omit it for a free one.`,
            )
          : error,
      );
    });
    // Loopback only, never 0.0.0.0: the API reaches ZooKeeper ensembles with the operator's rights.
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    server,
    port,
    token,
    origin,
    launchUrl: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
