/**
 * Helpers for tests against the real servers: unique roots so test files never collide, and kazoo
 * (Python, Debian's python3-kazoo) as an independent client to prove bytes survive both ways.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type zookeeper from 'node-zookeeper-client';
import type { SessionState, ZkSessionLike } from '../../electron/zk/types';

let counter = 0;

/** A fresh absolute path like /md-test-session-lq2x9a-1-3f9c, unique per call and per run. */
export function uniqueTestRoot(label = 'test'): string {
  counter += 1;
  const safe = label.replace(/[^A-Za-z0-9_-]/g, '-');
  return `/md-test-${safe}-${Date.now().toString(36)}-${counter}-${randomBytes(3).toString('hex')}`;
}

const KAZOO_SCRIPT = `
import base64, json, sys
from kazoo.client import KazooClient
from kazoo.exceptions import NodeExistsError
hosts, mode, path = sys.argv[1], sys.argv[2], sys.argv[3]
payload = sys.stdin.read().strip()
zk = KazooClient(hosts=hosts, timeout=10.0)
zk.start(timeout=15)
try:
    if mode == 'read':
        data, stat = zk.get(path)
        out = {'data': None if data is None else base64.b64encode(data).decode('ascii'), 'dataLength': stat.dataLength}
        sys.stdout.write(json.dumps(out))
    else:
        data = None if mode == 'write-null' else base64.b64decode(payload)
        try:
            zk.create(path, data, makepath=True)
        except NodeExistsError:
            zk.set(path, data)
        sys.stdout.write(json.dumps({'ok': True}))
finally:
    zk.stop()
    zk.close()
`;

/** Debian's python3 has kazoo; a pyenv/venv python3 on PATH usually does not. */
function kazooPython(): string {
  if (process.env.KAZOO_PYTHON) return process.env.KAZOO_PYTHON;
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function runKazoo(args: string[], stdin: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const python = kazooPython();
    const child = spawn(python, ['-c', KAZOO_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kazoo (${args.join(' ')}) did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run ${python}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
        return;
      }
      if (stderr.includes("No module named 'kazoo'")) {
        reject(
          new Error(
            `kazoo is not installed for ${python}: run \`sudo apt-get install python3-kazoo\` (or set KAZOO_PYTHON)`,
          ),
        );
        return;
      }
      reject(
        new Error(
          `kazoo (${args.join(' ')}) exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`,
        ),
      );
    });
    child.stdin.end(stdin);
  });
}

/**
 * Creates (with parents) or overwrites `path` through kazoo. The bytes travel as base64 on stdin;
 * `null` writes a node with null data (length -1 on the wire), which differs from empty bytes.
 */
export async function writeWithKazoo(
  connectString: string,
  path: string,
  data: Buffer | null,
): Promise<void> {
  if (data === null) await runKazoo([connectString, 'write-null', path], '');
  else await runKazoo([connectString, 'write', path], data.toString('base64'));
}

/** Reads `path` through kazoo: the exact bytes, or null when the node's data is null. */
export async function readWithKazoo(connectString: string, path: string): Promise<Buffer | null> {
  const output = JSON.parse(await runKazoo([connectString, 'read', path], '')) as { data: string | null };
  return output.data === null ? null : Buffer.from(output.data, 'base64');
}

/** Deletes a subtree depth-first through a session; missing nodes are fine (cleanup in afterAll). */
export async function removeTree(session: ZkSessionLike, path: string): Promise<void> {
  const stat = await session.exists(path);
  if (!stat) return;
  if (stat.numChildren > 0) {
    const { children } = await session.getChildren(path);
    for (const child of children) await removeTree(session, `${path}/${child}`);
  }
  try {
    await session.remove(path, -1);
  } catch (error) {
    if ((error as { code?: string }).code !== 'NO_NODE') throw error;
  }
}

/** Resolves when `session` emits `state` (with its detail); rejects after timeoutMs with what it saw. */
export function waitForSessionState(
  session: ZkSessionLike,
  state: SessionState,
  timeoutMs: number,
): Promise<{ message?: string; sessionId?: string }> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const onState = (next: SessionState, detail: { message?: string; sessionId?: string }) => {
      seen.push(next);
      if (next !== state) return;
      clearTimeout(timer);
      session.off('state', onState);
      resolve(detail);
    };
    const timer = setTimeout(() => {
      session.off('state', onState);
      reject(
        new Error(
          `session did not reach '${state}' within ${timeoutMs} ms (saw: ${seen.join(', ') || 'nothing'})`,
        ),
      );
    }, timeoutMs);
    session.on('state', onState);
  });
}

/** Records every state a session emits, with its detail. */
export function recordStates(
  session: ZkSessionLike,
): { state: SessionState; message?: string; sessionId?: string }[] {
  const log: { state: SessionState; message?: string; sessionId?: string }[] = [];
  session.on('state', (state: SessionState, detail: { message?: string; sessionId?: string }) =>
    log.push({ state, ...detail }),
  );
  return log;
}

/**
 * Expires a live session the way ZooKeeper's own tests do: a second connection attaches to the same
 * session id and password and closes the session. The server then drops our client's connection and
 * answers its reconnect with "expired".
 *
 * The connect and closeSession requests go out in one write: with a normal client, our session's
 * own reconnect often wins the race and the server drops the intruder before its close arrives.
 * Reaches into ZkSession for the current client on purpose: the password is not public API.
 */
async function intrudeAndClose(session: ZkSessionLike, connectString: string): Promise<void> {
  const client = (session as unknown as { client?: zookeeper.Client }).client;
  if (!client) throw new Error('session has no live client to expire');
  const sessionId = client.getSessionId();
  const password = client.getSessionPassword();
  // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd (jute buffer), readOnly.
  const connect = Buffer.alloc(4 + 8 + 4 + 8 + 4 + password.length + 1);
  let offset = connect.writeInt32BE(0, 0);
  offset = connect.writeBigInt64BE(0n, offset);
  offset = connect.writeInt32BE(10_000, offset);
  offset += sessionId.copy(connect, offset);
  offset = connect.writeInt32BE(password.length, offset);
  offset += password.copy(connect, offset);
  connect.writeUInt8(0, offset);
  // RequestHeader of closeSession: xid 1, type -11; no body.
  const close = Buffer.alloc(8);
  close.writeInt32BE(1, 0);
  close.writeInt32BE(-11, 4);
  const frame = (body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(body.length, 0);
    return Buffer.concat([length, body]);
  };
  const [host, port] = connectString.replace(/\/.*$/, '').split(',')[0]?.split(':') ?? [];
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), host as string);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server did not close the intruding connection within 10 s'));
    }, 10_000);
    socket.on('connect', () => socket.write(Buffer.concat([frame(connect), frame(close)])));
    socket.resume();
    socket.on('error', () => undefined);
    // The server closes the connection once the session is closed.
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Expires `session` on the server. The intruder's closeSession can lose a race: when our own client
 * reconnects and takes the session back before the close is processed, the server drops the
 * intruder's connection and its close with it, and the session lives on. With `untilExpired`, a
 * session that reports its states (ZkSession) is watched for 'expired', and the intrusion repeated
 * (bounded) until it comes.
 */
export async function expireSession(
  session: ZkSessionLike,
  connectString: string,
  options: { untilExpired?: boolean } = {},
): Promise<void> {
  const events = session as unknown as {
    on?(event: 'state', listener: (state: string) => void): unknown;
    off?(event: 'state', listener: (state: string) => void): unknown;
  };
  // Opt-in: a session cut off from the server (a test's proxy) cannot report 'expired' until later.
  if (!options.untilExpired || typeof events.on !== 'function' || typeof events.off !== 'function') {
    await intrudeAndClose(session, connectString);
    return;
  }
  let expired = false;
  let wake: (() => void) | undefined;
  const listener = (state: string) => {
    if (state !== 'expired') return;
    expired = true;
    wake?.();
  };
  const currentId = () =>
    (session as unknown as { client?: zookeeper.Client }).client?.getSessionId().toString('hex');
  const original = currentId();
  events.on('state', listener);
  try {
    for (let attempt = 1; attempt <= 3 && !expired; attempt += 1) {
      // Never close a session the client opened after ours: ours is gone then, whatever was seen.
      if (attempt > 1 && currentId() !== original) return;
      await intrudeAndClose(session, connectString);
      if (expired) return;
      // Long enough for the watchdog of a mute connection (2/3 of a 10 s session timeout) to notice.
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 12_000);
      });
    }
    if (!expired) throw new Error('the session did not expire after 3 closeSession attempts');
  } finally {
    events.off('state', listener);
  }
}
