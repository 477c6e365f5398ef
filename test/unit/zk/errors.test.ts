import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_EXCEPTION_CODES,
  formatDuration,
  toZkError,
  unreachableMessage,
  ZkError,
  zkErrorCodeFromClientCode,
  zkErrorMessage,
} from '../../../electron/zk/errors';

const E = zookeeper.Exception as unknown as Record<string, number> & {
  create: (code: number, path?: string) => Error;
};

describe('error code mapping', () => {
  it('maps every client exception code the server sends back', () => {
    const expected: Record<string, string> = {
      CONNECTION_LOSS: 'CONNECTION_LOSS',
      OPERATION_TIMEOUT: 'TIMEOUT',
      BAD_ARGUMENTS: 'BAD_ARGUMENTS',
      NO_NODE: 'NO_NODE',
      NO_AUTH: 'NO_AUTH',
      BAD_VERSION: 'BAD_VERSION',
      NO_CHILDREN_FOR_EPHEMERALS: 'NO_CHILDREN_FOR_EPHEMERALS',
      NODE_EXISTS: 'NODE_EXISTS',
      NOT_EMPTY: 'NOT_EMPTY',
      SESSION_EXPIRED: 'SESSION_EXPIRED',
      INVALID_ACL: 'INVALID_ACL',
      AUTH_FAILED: 'AUTH_FAILED',
      SYSTEM_ERROR: 'UNKNOWN',
      MARSHALLING_ERROR: 'UNKNOWN',
      API_ERROR: 'UNKNOWN',
    };
    for (const [name, code] of Object.entries(expected)) {
      const clientCode = E[name] as number;
      expect(typeof clientCode, name).toBe('number');
      expect(zkErrorCodeFromClientCode(clientCode), name).toBe(code);
      expect(CLIENT_EXCEPTION_CODES[clientCode]).toBe(name);
    }
    expect(zkErrorCodeFromClientCode(-999)).toBe('UNKNOWN');
  });

  it('converts a client Exception into a ZkError with the path and the cause', () => {
    const cause = E.create(E.NO_NODE as number, '/pegasus/app');
    const error = toZkError(cause, { operation: 'getData', path: '/pegasus/app' });
    expect(error).toBeInstanceOf(ZkError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('NO_NODE');
    expect(error.path).toBe('/pegasus/app');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('/pegasus/app does not exist (it may have been deleted)');
  });

  it('passes a ZkError through untouched', () => {
    const original = new ZkError('CLOSED', 'closed');
    expect(toZkError(original, { operation: 'exists', path: '/' })).toBe(original);
  });

  it("turns the client's assertion failures into BAD_ARGUMENTS and anything else into UNKNOWN", () => {
    const assertion = new Error('data must be equal of smaller than 1048576 bytes.');
    assertion.name = 'AssertionError';
    const bad = toZkError(assertion, { operation: 'create', path: '/x' });
    expect(bad.code).toBe('BAD_ARGUMENTS');
    expect(bad.message).toContain('1048576');
    const unknown = toZkError(new TypeError('weird'), { operation: 'remove', path: '/x' });
    expect(unknown.code).toBe('UNKNOWN');
    expect(unknown.message).toBe('Failed to delete /x: weird');
    const fromCode = toZkError(E.create(E.SYSTEM_ERROR as number), { operation: 'getData', path: '/x' });
    expect(fromCode.code).toBe('UNKNOWN');
    expect(fromCode.message).toContain('SYSTEM_ERROR (-1)');
  });
});

describe('operator-facing messages', () => {
  it('says what to do for each code', () => {
    expect(zkErrorMessage('NO_AUTH', { operation: 'getData', path: '/x' })).toBe(
      "Not authorized to read /x: add a digest credential (user:password) that this node's ACL grants",
    );
    expect(zkErrorMessage('NO_AUTH', { operation: 'remove', path: '/x' })).toMatch(
      /^Not authorized to delete \/x/,
    );
    expect(zkErrorMessage('NO_NODE', { operation: 'getData', path: '/x' })).toBe(
      '/x does not exist (it may have been deleted)',
    );
    expect(zkErrorMessage('NO_NODE', { operation: 'create', path: '/a/b' })).toBe(
      'Cannot create /a/b: its parent /a does not exist (create the parent first)',
    );
    expect(zkErrorMessage('BAD_VERSION', { operation: 'setData', path: '/x', version: 4 })).toBe(
      '/x was changed by someone else (it is no longer at version 4): reload it and apply your change again',
    );
    expect(zkErrorMessage('NOT_EMPTY', { operation: 'remove', path: '/x' })).toMatch(
      /has children.*delete them first/,
    );
    expect(zkErrorMessage('NODE_EXISTS', { operation: 'create', path: '/x' })).toMatch(/already exists/);
    expect(zkErrorMessage('NO_CHILDREN_FOR_EPHEMERALS', { operation: 'create', path: '/e/c' })).toMatch(
      /parent \/e is ephemeral/,
    );
    expect(zkErrorMessage('CONNECTION_LOSS', { operation: 'setData', path: '/x' })).toMatch(
      /outcome is unknown: check \/x before retrying/,
    );
    expect(zkErrorMessage('CONNECTION_LOSS', { operation: 'getData', path: '/x' })).toMatch(
      /retry once it reconnects/,
    );
    expect(zkErrorMessage('AUTH_FAILED', { operation: 'connect' })).toMatch(/check the digest credentials/);
    expect(zkErrorMessage('INVALID_ACL', { operation: 'create', path: '/x' })).toMatch(/base64\(sha1/);
  });

  it('formats the unreachable message with the host and the timeout', () => {
    expect(unreachableMessage('127.0.0.1:2199', 5000)).toBe(
      'Could not reach 127.0.0.1:2199 within 5 s. Check that ZooKeeper is running there and the host and port are right, or that your SSH tunnel is up.',
    );
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(250)).toBe('250 ms');
  });
});
