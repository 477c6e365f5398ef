/**
 * Single-node writes: create, set data, delete, set ACL. Each one
 * - refuses on a read-only connection before touching ZooKeeper,
 * - is version-checked against what the operator reviewed; a mismatch comes back as a conflict with
 *   the stored data ("theirs"), never as an overwrite,
 * - treats a lost answer (CONNECTION_LOSS, expiry, timeout) as "outcome unknown": it re-reads the node
 *   to find out whether the write landed before saying anything,
 * - appends an audit event with the path, the versions and SHA-256 digests of the data before and
 *   after, never the data itself.
 */
import type {
  CreateModeView,
  CreateNodeResult,
  RemoveNodeResult,
  SetAclResult,
  SetDataResult,
  WriteConflict,
} from '../../../shared/api/node-edit';
import type { ZkAclView } from '../../../shared/api/zk-node';
import type { Store } from '../../store/types';
import { isZkError, ZkError } from '../../zk/errors';
import { asWriteSession, type ZkWriteSession } from '../../zk/multi';
import type { ZkSessionLike } from '../../zk/types';
import { dataDigest } from './data-digest';
import type { SessionRegistry } from './session-registry';
import { assertWritable } from './write-guard';
import { countOf } from '../../../shared/plural';

export interface WriteContext {
  store: Store;
  sessions: SessionRegistry;
  actor: string;
}

const UNKNOWN_OUTCOME = new Set(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'TIMEOUT']);

function isUnknownOutcome(error: unknown): error is ZkError {
  return isZkError(error) && UNKNOWN_OUTCOME.has(error.code);
}

/** The write session of a writable connection (throws for a read-only one). */
export async function writableSession(context: WriteContext, connectionId: string): Promise<ZkWriteSession> {
  assertWritable(context.store, connectionId);
  return asWriteSession(await context.sessions.open(connectionId));
}

export function audit(
  context: WriteContext,
  connectionId: string,
  action: string,
  detail: Record<string, unknown>,
): void {
  context.store.events.append({ actor: context.actor, action, target: connectionId, detail });
}

/** What is stored now, for the conflict view; null when the node is gone. */
async function readTheirs(
  session: ZkSessionLike,
  path: string,
  expectedVersion: number,
): Promise<WriteConflict> {
  try {
    const { data, stat } = await session.getData(path);
    return { path, expectedVersion, theirs: { dataBase64: data.toString('base64'), stat } };
  } catch (error) {
    if (isZkError(error) && error.code === 'NO_NODE') return { path, expectedVersion, theirs: null };
    throw error;
  }
}

export async function createNode(
  context: WriteContext,
  input: {
    connectionId: string;
    path: string;
    dataBase64: string;
    mode: CreateModeView;
    acl?: ZkAclView[] | undefined;
  },
): Promise<CreateNodeResult> {
  const session = await writableSession(context, input.connectionId);
  const data = Buffer.from(input.dataBase64, 'base64');
  const sequential = input.mode.endsWith('sequential');
  let created: string;
  try {
    created = await session.create(input.path, data, { mode: input.mode, acl: input.acl });
  } catch (error) {
    // A plain create that lost its answer: the node exists with our bytes if and only if it landed.
    // A sequential one cannot be re-identified (the name has a counter we never saw): say so.
    if (!isUnknownOutcome(error) || sequential) throw error;
    const landed = await session.getData(input.path).catch(() => undefined);
    if (landed?.stat.version !== 0 || !landed.data.equals(data)) throw error;
    created = input.path;
  }
  const stat = await session.exists(created);
  if (!stat) {
    throw new ZkError('NO_NODE', `${created} was created but deleted again before it could be read back`, {
      path: created,
    });
  }
  audit(context, input.connectionId, 'node.created', {
    path: created,
    requestedPath: input.path,
    mode: input.mode,
    version: stat.version,
    digestBefore: null,
    digestAfter: dataDigest(data),
    bytesAfter: data.length,
    ephemeralOwner: stat.ephemeralOwner === '0x0' ? null : stat.ephemeralOwner,
    acl: input.acl ?? 'world:anyone:cdrwa',
  });
  return { path: created, stat };
}

export async function setNodeData(
  context: WriteContext,
  input: { connectionId: string; path: string; dataBase64: string; version: number },
): Promise<SetDataResult> {
  const session = await writableSession(context, input.connectionId);
  const { path, version } = input;
  const data = Buffer.from(input.dataBase64, 'base64');
  const conflict = async (): Promise<SetDataResult> => {
    const found = await readTheirs(session, path, version);
    audit(context, input.connectionId, 'node.write-conflict', {
      path,
      operation: 'setData',
      version,
      theirVersion: found.theirs?.stat.version ?? null,
      digestTheirs: found.theirs ? dataDigest(Buffer.from(found.theirs.dataBase64, 'base64')) : null,
      digestYours: dataDigest(data),
    });
    return { ok: false, conflict: found };
  };

  // The bytes at the reviewed version, for the digest: read first, and only write on top of them.
  let before: Buffer;
  try {
    const current = await session.getData(path);
    if (current.stat.version !== version) return conflict();
    before = current.data;
  } catch (error) {
    if (isZkError(error) && error.code === 'NO_NODE') return conflict();
    throw error;
  }

  let stat: Awaited<ReturnType<ZkWriteSession['setData']>>;
  try {
    stat = await session.setData(path, data, version);
  } catch (error) {
    if (isZkError(error) && (error.code === 'BAD_VERSION' || error.code === 'NO_NODE')) return conflict();
    if (!isUnknownOutcome(error)) throw error;
    // Did it land? Exactly one version later with our bytes means yes (a version check makes it ours).
    const after = await session.getData(path).catch(() => undefined);
    if (!after || after.stat.version !== version + 1 || !after.data.equals(data)) throw error;
    stat = after.stat;
  }
  audit(context, input.connectionId, 'node.data-set', {
    path,
    version,
    newVersion: stat.version,
    digestBefore: dataDigest(before),
    digestAfter: dataDigest(data),
    bytesBefore: before.length,
    bytesAfter: data.length,
  });
  return { ok: true, stat };
}

export async function removeNode(
  context: WriteContext,
  input: { connectionId: string; path: string; version: number },
): Promise<RemoveNodeResult> {
  const session = await writableSession(context, input.connectionId);
  const { path, version } = input;
  const conflict = async (): Promise<RemoveNodeResult> => {
    const found = await readTheirs(session, path, version);
    audit(context, input.connectionId, 'node.write-conflict', {
      path,
      operation: 'remove',
      version,
      theirVersion: found.theirs?.stat.version ?? null,
    });
    return { ok: false, conflict: found };
  };

  let before: Buffer;
  let ephemeralOwner: string;
  try {
    const current = await session.getData(path);
    if (current.stat.version !== version) return conflict();
    if (current.stat.numChildren > 0) {
      throw new ZkError(
        'NOT_EMPTY',
        `Cannot delete ${path}: it has ${countOf(current.stat.numChildren, 'child', 'children')} (delete the subtree instead, which asks for the node count)`,
        { path },
      );
    }
    before = current.data;
    ephemeralOwner = current.stat.ephemeralOwner;
  } catch (error) {
    if (isZkError(error) && error.code === 'NO_NODE') return conflict();
    throw error;
  }

  try {
    await session.remove(path, version);
  } catch (error) {
    if (isZkError(error) && (error.code === 'BAD_VERSION' || error.code === 'NO_NODE')) {
      // NO_NODE after a lost answer would be ours; a plain NO_NODE is someone else's delete.
      return conflict();
    }
    if (!isUnknownOutcome(error)) throw error;
    const still = await session.exists(path).catch(() => undefined);
    if (still !== null) throw error;
  }
  audit(context, input.connectionId, 'node.deleted', {
    path,
    version,
    digestBefore: dataDigest(before),
    digestAfter: null,
    bytesBefore: before.length,
    ephemeralOwner: ephemeralOwner === '0x0' ? null : ephemeralOwner,
  });
  return { ok: true };
}

export async function setNodeAcl(
  context: WriteContext,
  input: { connectionId: string; path: string; acl: ZkAclView[]; aversion: number },
): Promise<SetAclResult> {
  const session = await writableSession(context, input.connectionId);
  const { path, aversion } = input;
  const [{ acl: aclBefore, stat: aclStat }, { data }] = await Promise.all([
    session.getACL(path),
    session.getData(path),
  ]);
  if (aclStat.aversion !== aversion) {
    throw new ZkError(
      'BAD_VERSION',
      `The ACL of ${path} was changed by someone else (it is at version ${aclStat.aversion}, you reviewed ${aversion}): reload it and apply your change again`,
      { path },
    );
  }
  const stat = await session.setACL(path, input.acl, aversion);
  audit(context, input.connectionId, 'node.acl-set', {
    path,
    recursive: false,
    version: aclStat.version,
    aversion,
    newAversion: stat.aversion,
    aclBefore,
    aclAfter: input.acl,
    // ACLs do not touch data: the digest is there so every write record has the same shape.
    digestBefore: dataDigest(data),
    digestAfter: dataDigest(data),
  });
  return { stat, acl: input.acl };
}
