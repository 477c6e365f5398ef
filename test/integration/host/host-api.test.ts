/**
 * The core host over real HTTP, with a real ZooKeeper server and a real SQLite file: the door (token,
 * Host, Origin, loopback only), input validation at the boundary, and bytes surviving the API.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppRouter } from '../../../electron/host/router';
import { type RunningHost, startHost } from '../../../electron/host/start-host';
import { apiClient } from '../../setup/host-fixture';
import { uniqueTestRoot, writeWithKazoo } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-host-'));
let host: RunningHost;

function rawRequest(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function client() {
  return apiClient(host);
}

beforeAll(async () => {
  host = await startHost({ mode: 'browser', dataDir, port: 0, log: () => {} });
});

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the host door', () => {
  it('refuses every path without the token with 401', async () => {
    for (const path of [
      '/',
      '/trpc/connections.list',
      '/trpc/system.info',
      '/assets/index.js',
      '/favicon.ico',
    ]) {
      const response = await rawRequest(path, { host: `127.0.0.1:${host.port}` });
      expect(response.status, path).toBe(401);
    }
  });

  it('refuses a foreign Host header even with the token', async () => {
    const response = await rawRequest('/trpc/system.info', {
      host: `attacker.example:${host.port}`,
      authorization: `Bearer ${host.token}`,
    });
    expect(response.status).toBe(421);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const response = await rawRequest('/trpc/system.info', {
      host: `127.0.0.1:${host.port}`,
      origin: 'https://attacker.example',
      authorization: `Bearer ${host.token}`,
    });
    expect(response.status).toBe(403);
  });

  it('trades the launch URL token for an HttpOnly cookie that then authorizes the API', async () => {
    const launch = await rawRequest(`/?token=${host.token}`, { host: `127.0.0.1:${host.port}` });
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/');
    const cookie = String((launch.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const api = await rawRequest('/trpc/system.info', {
      host: `127.0.0.1:${host.port}`,
      cookie: cookie.split(';')[0]!,
    });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body).result.data).toMatchObject({ mode: 'browser', dataDir });
  });

  it('listens on loopback only', async () => {
    const address = host.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', port: host.port });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = netConnect({ host: external.address, port: host.port, timeout: 2000 });
        socket.on('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.on('error', () => resolve(true));
        socket.on('timeout', () => {
          socket.destroy();
          resolve(true);
        });
      });
      expect(refused).toBe(true);
    }
  });
});

describe('the API', () => {
  it('rejects bad connect strings at the boundary, naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['localhost', /no port/],
      ['host:99999', /out of range/],
      ['a:1,,b:2', /empty server entry at position 2/],
      ['zk://', /scheme/],
    ];
    for (const [connectString, message] of cases) {
      const error = await client()
        .connections.create.mutate({ name: `bad ${connectString}`, connectString })
        .catch((e: unknown) => e);
      expect(error, connectString).toBeInstanceOf(TRPCClientError);
      const clientError = error as TRPCClientError<AppRouter>;
      expect(clientError.message, connectString).toMatch(message);
      expect(clientError.message).toMatch(/connectString/);
      expect(clientError.data?.fieldErrors?.connectString).toMatch(message);
    }
    const chroot = await client()
      .connections.create.mutate({ name: 'bad chroot', connectString: '127.0.0.1:2181', chroot: 'pegasus' })
      .catch((e: unknown) => e as TRPCClientError<AppRouter>);
    expect((chroot as Error).message).toMatch(/must start with '\/'/);
    expect(await client().connections.list.query()).toEqual([]);
  });

  it('adds a connection read-only, browses it, and audits what happened', async () => {
    const api = client();
    const profile = await api.connections.create.mutate({ name: 'primary', connectString: zk });
    expect(profile.readOnly).toBe(true);
    const root = await api.nodes.children.query({ connectionId: profile.id, path: '/' });
    expect(root.children).toContain('zookeeper');
    expect(root.children).toEqual([...root.children].sort());
    const events = await api.audit.list.query({ target: profile.id });
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining(['connection.added', 'session.connected']),
    );
  });

  it('returns node bytes written by another client byte for byte', async () => {
    const api = client();
    const [profile] = await api.connections.list.query();
    const base = uniqueTestRoot('host-bytes');
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const cases: [string, Buffer][] = [
      ['all-bytes', allBytes],
      ['nul-inside', Buffer.from('abc\u0000def', 'latin1')],
      ['invalid-utf8', Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff])],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [name, bytes] of cases) await writeWithKazoo(zk, `${base}/${name}`, bytes);
    for (const [name, bytes] of cases) {
      const node = await api.nodes.get.query({ connectionId: profile!.id, path: `${base}/${name}` });
      expect(Buffer.from(node.dataBase64, 'base64').equals(bytes), name).toBe(true);
      expect(node.stat.dataLength).toBe(bytes.length);
      expect(node.acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
    }
    const children = await api.nodes.children.query({ connectionId: profile!.id, path: base });
    expect(children.children).toEqual(['all-bytes', 'empty', 'invalid-utf8', 'nul-inside']);
  });

  it('says clearly when a node does not exist, and refuses an illegal path', async () => {
    const api = client();
    const [profile] = await api.connections.list.query();
    const missing = (await api.nodes.get
      .query({ connectionId: profile!.id, path: '/no/such/node' })
      .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect((missing as TRPCClientError<AppRouter>).data?.zkCode).toBe('NO_NODE');
    expect((missing as Error).message).toMatch(/does not exist/);
    const illegal = (await api.nodes.get
      .query({ connectionId: profile!.id, path: 'relative//x/' })
      .catch((e: unknown) => e)) as Error;
    expect(illegal.message).toMatch(/path/i);
  });

  it('reports an unreachable ensemble within the connect timeout, never hanging', async () => {
    const api = client();
    const profile = await api.connections.create.mutate({
      name: 'nowhere',
      connectString: '127.0.0.1:1',
      connectTimeoutMs: 2000,
    });
    const started = Date.now();
    const error = (await api.nodes.children
      .query({ connectionId: profile.id, path: '/' })
      .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error.data?.zkCode).toBe('UNREACHABLE');
    // Not 408: Chromium silently retries a 408, which doubled the operator's wait.
    expect(error.data?.httpStatus).toBe(502);
    expect(error.message).toMatch(/127\.0\.0\.1:1/);
    expect(elapsed).toBeLessThan(6000);
    const tested = await api.connections.test.mutate({
      input: { name: 'nowhere', connectString: '127.0.0.1:1', connectTimeoutMs: 1000 },
    });
    expect(tested.ok).toBe(false);
    const events = await api.audit.list.query({ target: profile.id });
    expect(events.map((event) => event.action)).toContain('session.failed');
  });

  it('keeps the digest credential sealed and never returns it', async () => {
    const api = client();
    const profile = await api.connections.create.mutate({
      name: 'with auth',
      connectString: zk,
      digestAuth: 'ops:s3cret-pass',
    });
    expect(profile.hasDigestAuth).toBe(true);
    expect(JSON.stringify(await api.connections.list.query())).not.toContain('s3cret-pass');
    expect(JSON.stringify(await api.audit.list.query())).not.toContain('s3cret-pass');
    const updated = await api.connections.update.mutate({
      id: profile.id,
      input: { name: 'with auth', connectString: zk, clearDigestAuth: true },
    });
    expect(updated.hasDigestAuth).toBe(false);
  });
});
