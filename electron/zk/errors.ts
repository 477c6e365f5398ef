/**
 * ZooKeeper failures as one error type with a stable code and a message an operator can act on.
 * node-zookeeper-client's own errors ("Exception: NO_NODE[-101]@/x") name the problem but never the
 * remedy, and its numeric codes must not leak past electron/zk.
 */
import type { ZkErrorCode } from './types';

export class ZkError extends Error {
  readonly code: ZkErrorCode;
  readonly path?: string;

  constructor(code: ZkErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZkError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
  }
}

export function isZkError(error: unknown): error is ZkError {
  return error instanceof ZkError;
}

/** The operation that failed: it decides the verb of the message ("read", "delete", ...). */
export type ZkOperation =
  | 'exists'
  | 'getData'
  | 'getChildren'
  | 'getACL'
  | 'create'
  | 'setData'
  | 'remove'
  | 'connect';

export interface ZkErrorContext {
  operation: ZkOperation;
  path?: string;
  /** The expected version of a setData / remove, for BAD_VERSION messages. */
  version?: number;
}

/** node-zookeeper-client's Exception codes (lib/Exception.js), by number. */
export const CLIENT_EXCEPTION_CODES: Readonly<Record<number, string>> = {
  0: 'OK',
  [-1]: 'SYSTEM_ERROR',
  [-2]: 'RUNTIME_INCONSISTENCY',
  [-3]: 'DATA_INCONSISTENCY',
  [-4]: 'CONNECTION_LOSS',
  [-5]: 'MARSHALLING_ERROR',
  [-6]: 'UNIMPLEMENTED',
  [-7]: 'OPERATION_TIMEOUT',
  [-8]: 'BAD_ARGUMENTS',
  [-100]: 'API_ERROR',
  [-101]: 'NO_NODE',
  [-102]: 'NO_AUTH',
  [-103]: 'BAD_VERSION',
  [-108]: 'NO_CHILDREN_FOR_EPHEMERALS',
  [-110]: 'NODE_EXISTS',
  [-111]: 'NOT_EMPTY',
  [-112]: 'SESSION_EXPIRED',
  [-113]: 'INVALID_CALLBACK',
  [-114]: 'INVALID_ACL',
  [-115]: 'AUTH_FAILED',
};

const CODE_BY_CLIENT_CODE: Readonly<Record<number, ZkErrorCode>> = {
  [-4]: 'CONNECTION_LOSS',
  [-7]: 'TIMEOUT',
  [-8]: 'BAD_ARGUMENTS',
  [-101]: 'NO_NODE',
  [-102]: 'NO_AUTH',
  [-103]: 'BAD_VERSION',
  [-108]: 'NO_CHILDREN_FOR_EPHEMERALS',
  [-110]: 'NODE_EXISTS',
  [-111]: 'NOT_EMPTY',
  [-112]: 'SESSION_EXPIRED',
  [-114]: 'INVALID_ACL',
  [-115]: 'AUTH_FAILED',
};

/** The ZkErrorCode for one of node-zookeeper-client's numeric Exception codes. */
export function zkErrorCodeFromClientCode(clientCode: number): ZkErrorCode {
  return CODE_BY_CLIENT_CODE[clientCode] ?? 'UNKNOWN';
}

const VERB: Readonly<Record<ZkOperation, string>> = {
  exists: 'check',
  getData: 'read',
  getChildren: 'list the children of',
  getACL: 'read the ACL of',
  create: 'create',
  setData: 'write',
  remove: 'delete',
  connect: 'connect to',
};

const READS: ReadonlySet<ZkOperation> = new Set(['exists', 'getData', 'getChildren', 'getACL']);

/** "read", "delete", "list the children of": the verb an operator reads for an operation. */
export function operationVerb(operation: ZkOperation): string {
  return VERB[operation];
}

/** Reads are idempotent: safe to retry after a lost connection. */
export function isReadOperation(operation: ZkOperation): boolean {
  return READS.has(operation);
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** "5 s", "1.5 s", "250 ms": how long a timeout was, as an operator reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The message for a code in a context; every message says what happened and what to do next. */
export function zkErrorMessage(code: ZkErrorCode, context: ZkErrorContext, clientName?: string): string {
  const { operation } = context;
  const path = context.path ?? '/';
  const verb = VERB[operation];
  switch (code) {
    case 'NO_NODE':
      if (operation === 'create') {
        return `Cannot create ${path}: its parent ${parentOf(path)} does not exist (create the parent first)`;
      }
      return `${path} does not exist (it may have been deleted)`;
    case 'NODE_EXISTS':
      return `Cannot create ${path}: it already exists (reload the tree, or write to the existing node instead)`;
    case 'NOT_EMPTY':
      return `Cannot delete ${path}: it has children (delete them first, or delete the subtree recursively)`;
    case 'BAD_VERSION':
      return `${path} was changed by someone else${
        context.version === undefined ? '' : ` (it is no longer at version ${context.version})`
      }: reload it and apply your change again`;
    case 'NO_AUTH':
      return `Not authorized to ${verb} ${path}: add a digest credential (user:password) that this node's ACL grants`;
    case 'NO_CHILDREN_FOR_EPHEMERALS':
      return `Cannot create ${path}: its parent ${parentOf(path)} is ephemeral, and ephemeral nodes cannot have children`;
    case 'INVALID_ACL':
      return `The ACL for ${path} is invalid: check each scheme and id (a digest id is user:base64(sha1(user:password)); the 'auth' scheme needs a credential on this connection)`;
    case 'SESSION_EXPIRED':
      return `The ZooKeeper session expired before the request to ${verb} ${path} completed; a new session is being opened: retry${
        READS.has(operation) ? '' : ' after checking whether the change was applied'
      }`;
    case 'AUTH_FAILED':
      return 'ZooKeeper rejected the credentials of this connection: check the digest credentials (user:password) and reconnect';
    case 'CONNECTION_LOSS':
      if (READS.has(operation)) {
        return `The connection to ZooKeeper was lost while trying to ${verb} ${path}: retry once it reconnects`;
      }
      return `The connection to ZooKeeper was lost while trying to ${verb} ${path}, so the outcome is unknown: check ${path} before retrying`;
    case 'TIMEOUT':
      return `ZooKeeper did not answer the request to ${verb} ${path} in time: check the connection and retry`;
    case 'CLOSED':
      return `The ZooKeeper connection was closed before the request to ${verb} ${path} completed`;
    case 'BAD_ARGUMENTS':
      return `ZooKeeper refused the request to ${verb} ${path} as invalid: check the path for characters ZooKeeper does not allow and the data size`;
    case 'UNREACHABLE':
      return 'Could not reach ZooKeeper. Check that ZooKeeper is running and the host and port are right, or that your SSH tunnel is up.';
    case 'UNKNOWN':
      return `ZooKeeper failed to ${verb} ${path}${clientName ? ` with ${clientName}` : ''}: see the server log`;
  }
}

/** The message for a first connection that never succeeded. */
export function unreachableMessage(hosts: string, timeoutMs: number): string {
  return `Could not reach ${hosts} within ${formatDuration(timeoutMs)}. Check that ZooKeeper is running there and the host and port are right, or that your SSH tunnel is up.`;
}

interface ClientExceptionLike {
  code: number;
  name?: string;
  path?: string;
}

function isClientException(error: unknown): error is ClientExceptionLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number' &&
    typeof (error as { getCode?: unknown }).getCode === 'function'
  );
}

/**
 * Converts anything node-zookeeper-client (or our own code) threw into a ZkError. The path of the
 * context wins over the exception's, because with a chroot the exception carries no path at all.
 */
export function toZkError(error: unknown, context: ZkErrorContext): ZkError {
  if (error instanceof ZkError) return error;
  const path = context.path;
  if (isClientException(error)) {
    const code = zkErrorCodeFromClientCode(error.code);
    const clientName = CLIENT_EXCEPTION_CODES[error.code] ?? `code ${error.code}`;
    return new ZkError(code, zkErrorMessage(code, context, `${clientName} (${error.code})`), {
      path,
      cause: error,
    });
  }
  // The client validates arguments with assert(): its messages are already specific.
  if (
    error instanceof Error &&
    (error.name === 'AssertionError' || error.name.startsWith('AssertionError'))
  ) {
    return new ZkError(
      'BAD_ARGUMENTS',
      `Invalid request to ${VERB[context.operation]} ${path ?? '/'}: ${error.message}`,
      {
        path,
        cause: error,
      },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ZkError('UNKNOWN', `Failed to ${VERB[context.operation]} ${path ?? '/'}: ${detail}`, {
    path,
    cause: error,
  });
}
