import { describe, expect, it } from 'vitest';
import { parseArgs, usageText } from '../../../electron/cli/args';
import { EXIT, type FlagSpec, UsageError } from '../../../electron/cli/command';
import { dispatch } from '../../../electron/cli/dispatch';
import { credentialFromEnv, parseEndpointSpec } from '../../../electron/cli/endpoint-spec';
import { COMMANDS } from '../../../electron/cli/registry';
import { exitCodeOf, summarize } from '../../../electron/cli/run-summary';
import type { RunView } from '../../../electron/engines/zk-copy/types';

const specs: FlagSpec[] = [
  { name: 'mode', kind: 'string', choices: ['create-only', 'overwrite', 'mirror'], help: '' },
  { name: 'include', kind: 'string', repeat: true, help: '' },
  { name: 'json', kind: 'boolean', help: '' },
];

describe('parseArgs', () => {
  it('reads values, repeats, booleans, --flag=value and -- ', () => {
    expect(
      parseArgs(
        ['a', '--mode', 'mirror', '--include=/x', '--include', '/y', '--json', '--', '--not-a-flag'],
        specs,
      ),
    ).toEqual({
      positionals: ['a', '--not-a-flag'],
      flags: { mode: 'mirror', include: ['/x', '/y'], json: true },
    });
  });

  it('refuses unknown flags, missing values, values of booleans and choices outside the list', () => {
    expect(() => parseArgs(['--mdoe', 'x'], specs)).toThrow("Unknown option '--mdoe'");
    expect(() => parseArgs(['--mode'], specs)).toThrow('--mode needs a value');
    expect(() => parseArgs(['--mode', '--json'], specs)).toThrow('--mode needs a value');
    expect(() => parseArgs(['--json=yes'], specs)).toThrow('--json takes no value');
    expect(() => parseArgs(['--mode', 'sideways'], specs)).toThrow(
      /must be one of create-only, overwrite, mirror/,
    );
    expect(() => parseArgs(['-x'], specs)).toThrow(UsageError);
  });

  it('prints usage from the specs', () => {
    expect(usageText(['zk', 'copy'], 'SRC DST', specs)).toContain('--mode create-only|overwrite|mirror');
  });
});

describe('SRC and DST', () => {
  it('parses zk:// URLs with several hosts and @saved names', () => {
    expect(parseEndpointSpec('zk://a:2181,b:2182/pegasus/c1/', 'SRC')).toEqual({
      kind: 'url',
      hosts: 'a:2181,b:2182',
      path: '/pegasus/c1',
    });
    expect(parseEndpointSpec('zk://[::1]:2181', 'SRC')).toEqual({
      kind: 'url',
      hosts: '[::1]:2181',
      path: '/',
    });
    expect(parseEndpointSpec('@prod:/pegasus', 'DST')).toEqual({
      kind: 'saved',
      name: 'prod',
      path: '/pegasus',
    });
    expect(parseEndpointSpec('@prod', 'DST')).toEqual({ kind: 'saved', name: 'prod', path: '/' });
  });

  it('refuses credentials in URLs, other schemes, bad hosts and paths', () => {
    expect(() => parseEndpointSpec('zk://user:pw@h:1/a', 'SRC')).toThrow(/MDESK_ZK_AUTH/);
    expect(() => parseEndpointSpec('127.0.0.1:2181/a', 'SRC')).toThrow(/must be zk:\/\//);
    expect(() => parseEndpointSpec('zk://h/a', 'SRC')).toThrow(/has no port/);
    expect(() => parseEndpointSpec('zk://h:1/a//b', 'SRC')).toThrow(/empty segment/);
  });

  it('reads MDESK_ZK_AUTH=digest:user:password (the password may hold colons)', () => {
    expect(credentialFromEnv({ MDESK_ZK_AUTH: 'digest:ops:pa:ss' })).toBe('ops:pa:ss');
    expect(credentialFromEnv({})).toBeUndefined();
    expect(() => credentialFromEnv({ MDESK_ZK_AUTH: 'sasl:x' })).toThrow(/digest:user:password/);
  });
});

describe('results and exit codes', () => {
  const run = (state: RunView['state'], mismatched = 0): RunView =>
    ({
      id: 'r1',
      kind: 'zk-copy',
      state,
      result: {
        copy: {
          counts: {
            created: 3,
            updated: 1,
            unchanged: 2,
            deleted: 0,
            skippedEphemeral: 1,
            errors: 0,
            unreadable: 0,
            bytes: 9,
            conflicts: 0,
          },
        },
        verify: {
          counts: {
            matching: 6,
            mismatched,
            extraSource: 0,
            extraTarget: 0,
            aclMismatched: 0,
            unreadable: 0,
          },
        },
        seconds: 1.23456,
      },
    }) as unknown as RunView;

  it('prints the named fields and maps outcomes to exit codes', () => {
    expect(summarize(run('completed'))).toMatchObject({
      runId: 'r1',
      status: 'completed',
      created: 3,
      updated: 1,
      unchanged: 2,
      deleted: 0,
      skippedEphemeral: 1,
      errors: 0,
      bytes: 9,
      seconds: 1.235,
      verify: { matching: 6, mismatched: 0, extraSource: 0, extraTarget: 0 },
    });
    expect(exitCodeOf(run('completed'))).toBe(EXIT.ok);
    expect(exitCodeOf(run('completed', 2))).toBe(EXIT.differences);
    expect(exitCodeOf(run('failed'))).toBe(EXIT.failed);
    expect(summarize(run('cancelled')).status).toBe('failed');
  });
});

describe('dispatch', () => {
  async function call(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await dispatch(
      COMMANDS,
      argv,
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stderrIsTTY: false },
      {},
    );
    return { code, stdout, stderr };
  }

  it("lists the commands, and shows a command's usage with --help", async () => {
    const overview = await call([]);
    expect(overview.code).toBe(0);
    for (const words of ['zk copy', 'zk diff', 'zk export', 'zk import', 'zk rm'])
      expect(overview.stderr).toContain(words);
    const help = await call(['zk', 'copy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--data-dir DIR');
    expect(help.stdout).toContain('Exit codes');
  });

  it('answers an unknown command and bad arguments with exit 2 and the usage', async () => {
    expect((await call(['zk', 'teleport'])).code).toBe(EXIT.usage);
    const missing = await call(['zk', 'copy', 'zk://h:1/a']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain('Give SRC and DST');
    expect(missing.stderr).toContain('Usage: mdesk zk copy SRC DST');
  });
});
