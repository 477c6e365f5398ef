/**
 * The host's front door. It listens on loopback, but loopback is not a boundary: any web page the
 * operator opens can send requests to 127.0.0.1 (and DNS rebinding can make them same-origin). So every
 * request must carry the per-launch token, and Host and Origin must name this very host.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardConfig {
  port: number;
  token: string;
}

export type GuardVerdict =
  | { kind: 'allow' }
  /** A first page load with ?token=: trade it for a cookie and redirect to the clean URL. */
  | { kind: 'exchange'; location: string; cookie: string }
  | { kind: 'deny'; status: 401 | 403 | 421; message: string };

/** The cookie name carries the port: two hosts on one machine must not overwrite each other's cookie. */
export function cookieName(port: number): string {
  return `mdesk_${port}`;
}

export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

function sameToken(candidate: string | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function checkRequest(req: IncomingMessage, config: GuardConfig): GuardVerdict {
  const host = req.headers.host;
  const allowedHosts = [`127.0.0.1:${config.port}`, `localhost:${config.port}`];
  if (!host || !allowedHosts.includes(host.toLowerCase())) {
    return {
      kind: 'deny',
      status: 421,
      message: 'Misdirected request: this host answers only to its own loopback address.',
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(config.port).includes(origin.toLowerCase())) {
    return { kind: 'deny', status: 403, message: 'Forbidden: cross-origin requests are refused.' };
  }

  const url = new URL(req.url ?? '/', `http://${host}`);
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    if (!sameToken(queryToken, config.token) || req.method !== 'GET') {
      return {
        kind: 'deny',
        status: 401,
        message:
          "Unauthorized: the token in the URL is not this launch's token. Use the URL the app printed.",
      };
    }
    url.searchParams.delete('token');
    const cookie = `${cookieName(config.port)}=${encodeURIComponent(config.token)}; Path=/; HttpOnly; SameSite=Strict`;
    return { kind: 'exchange', location: `${url.pathname}${url.search}`, cookie };
  }

  const authorization = req.headers.authorization;
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  const cookieToken = readCookie(req.headers.cookie, cookieName(config.port));
  if (sameToken(bearer, config.token) || sameToken(cookieToken, config.token)) return { kind: 'allow' };
  return {
    kind: 'deny',
    status: 401,
    message: 'Unauthorized: open the URL with the token that Migration Desk printed when it started.',
  };
}
