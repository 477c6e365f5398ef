import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, cookieName } from '../../../electron/host/http-guard';

const config = { port: 7777, token: 'secret-token-123' };

function request(headers: Record<string, string>, url = '/', method = 'GET'): IncomingMessage {
  return { headers, url, method } as unknown as IncomingMessage;
}

describe('checkRequest', () => {
  it('refuses a request without a token, whatever the path', () => {
    for (const path of ['/', '/index.html', '/trpc/connections.list', '/assets/x.js', '/../../etc/passwd']) {
      const verdict = checkRequest(request({ host: '127.0.0.1:7777' }, path), config);
      expect(verdict).toMatchObject({ kind: 'deny', status: 401 });
    }
  });

  it('refuses a foreign Host header before anything else (DNS rebinding)', () => {
    for (const host of ['evil.example:7777', '127.0.0.1:7778', '192.168.1.5:7777', '']) {
      const verdict = checkRequest(request({ host, authorization: `Bearer ${config.token}` }), config);
      expect(verdict).toMatchObject({ kind: 'deny', status: 421 });
    }
  });

  it('refuses a foreign Origin even with the right token', () => {
    const verdict = checkRequest(
      request({
        host: '127.0.0.1:7777',
        origin: 'http://evil.example',
        cookie: `${cookieName(7777)}=${config.token}`,
      }),
      config,
    );
    expect(verdict).toMatchObject({ kind: 'deny', status: 403 });
  });

  it('accepts the bearer token and the cookie, on 127.0.0.1 and localhost', () => {
    expect(
      checkRequest(request({ host: '127.0.0.1:7777', authorization: `Bearer ${config.token}` }), config),
    ).toEqual({ kind: 'allow' });
    expect(
      checkRequest(
        request({
          host: 'localhost:7777',
          origin: 'http://localhost:7777',
          cookie: `a=b; ${cookieName(7777)}=${config.token}`,
        }),
        config,
      ),
    ).toEqual({ kind: 'allow' });
  });

  it('refuses a wrong token of the same length and a cookie of another port', () => {
    expect(
      checkRequest(request({ host: '127.0.0.1:7777', authorization: 'Bearer secret-token-124' }), config),
    ).toMatchObject({ status: 401 });
    expect(
      checkRequest(
        request({ host: '127.0.0.1:7777', cookie: `${cookieName(7778)}=${config.token}` }),
        config,
      ),
    ).toMatchObject({
      status: 401,
    });
  });

  it('trades a query token for an HttpOnly SameSite=Strict cookie and strips it from the URL', () => {
    const verdict = checkRequest(
      request({ host: '127.0.0.1:7777' }, `/explorer?token=${config.token}&x=1`),
      config,
    );
    expect(verdict.kind).toBe('exchange');
    if (verdict.kind !== 'exchange') return;
    expect(verdict.location).toBe('/explorer?x=1');
    expect(verdict.cookie).toContain(`${cookieName(7777)}=${config.token}`);
    expect(verdict.cookie).toContain('HttpOnly');
    expect(verdict.cookie).toContain('SameSite=Strict');
  });

  it('refuses a wrong query token, and a query token on a non-GET request', () => {
    expect(checkRequest(request({ host: '127.0.0.1:7777' }, '/?token=nope'), config)).toMatchObject({
      status: 401,
    });
    expect(
      checkRequest(request({ host: '127.0.0.1:7777' }, `/trpc/x?token=${config.token}`, 'POST'), config),
    ).toMatchObject({
      status: 401,
    });
  });
});
