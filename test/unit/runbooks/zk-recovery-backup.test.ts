/**
 * The comparisons that decide a meta recovery is done (zk-migration-recovery): the node list after
 * recover against the backup (address, status, replica count; parsed, so the `[parameters]` block
 * that kept pegasus_migrate_zookeeper.sh's diff from matching plays no part), and the tables after
 * recover against the backed-up ones. Real shell outputs from the fixture's documented files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAppList, parseNodeList, type ShellNodeList } from '../../../electron/pegasus/shell-output';
import {
  backupFrom,
  compareNodes,
  compareTables,
  describeNodesVerdict,
  type NodeRecord,
  nodesFromShell,
  normalizeTableStatus,
  type TableRecord,
  tablesFromShell,
  unaliveNodes,
} from '../../../electron/runbooks/zk-migration-recovery/cluster-backup';
import { OUTPUTS_DIR } from '../../setup/pegasus-shell-kit';

const output = (name: string) => readFileSync(join(OUTPUTS_DIR, name), 'utf8');

function nodes(text: string): NodeRecord[] {
  const parsed = parseNodeList(text);
  if (!parsed.ok) throw parsed.error;
  return nodesFromShell(parsed.value as ShellNodeList);
}

const backup = nodes(output('nodes-detailed-file.txt'));

describe('nodes after recover against the backup', () => {
  it('matches another nodes -d -o file of the same cluster, whatever its [parameters] say and wherever primaries moved', () => {
    const later = output('nodes-detailed-file.txt')
      .replace('out_file  : onebox.nodes', 'out_file  : /tmp/1000.4243.pegasus.migrate_zookeeper.shell.nodes')
      .replace(/( 25 {14})8( {15})17/, '$19$216');
    expect(later).not.toBe(output('nodes-detailed-file.txt'));
    const verdict = compareNodes(backup, nodes(later));
    expect(verdict).toEqual({ same: true, matching: 3, expected: 3, differences: [] });
    expect(describeNodesVerdict(verdict)).toBe('all 3 replica servers match the backup');
  });

  it('matches the plain nodes -d output (no [parameters] block) too', () => {
    const plain = output('nodes-detailed-file.txt').replace(/^\[parameters\]\nout_file.*\n\n/, '');
    expect(plain.startsWith('[details]')).toBe(true);
    expect(compareNodes(backup, nodes(plain)).same).toBe(true);
  });

  it('names each server whose status or replica count differs, and those missing or new', () => {
    const current: NodeRecord[] = [
      { ...backup[0]!, replicaCount: 0 },
      { ...backup[1]!, status: 'UNALIVE' },
      { address: '127.0.0.1:34804', status: 'ALIVE', replicaCount: 1, primaryCount: 1, secondaryCount: 0 },
    ];
    const verdict = compareNodes(backup, current);
    expect(verdict.same).toBe(false);
    expect(verdict.matching).toBe(0);
    expect(verdict.differences).toEqual([
      '127.0.0.1:34801 is ALIVE 0 (backup: ALIVE 25)',
      '127.0.0.1:34802 is UNALIVE 26 (backup: ALIVE 26)',
      '127.0.0.1:34803 is not listed',
      '127.0.0.1:34804 is listed but was not in the backup',
    ]);
    expect(describeNodesVerdict(verdict)).toBe(
      '0 of 3 replica servers match the backup; 127.0.0.1:34801 is ALIVE 0 (backup: ALIVE 25); ' +
        '127.0.0.1:34802 is UNALIVE 26 (backup: ALIVE 26); 127.0.0.1:34803 is not listed; and 1 more',
    );
  });

  it('finds the UNALIVE server that refuses the backup', () => {
    expect(unaliveNodes(nodes(output('nodes-unalive-file.txt'))).map((node) => node.address)).toEqual([
      '127.0.0.1:34803',
    ]);
    expect(unaliveNodes(backup)).toEqual([]);
  });
});

const table = (appId: number, name: string, extra: Partial<TableRecord> = {}): TableRecord => ({
  appId,
  name,
  status: 'AVAILABLE',
  partitionCount: 8,
  replicaCount: 3,
  ...extra,
});

describe('tables after recover against the backup', () => {
  it('reads the backup from ls -o and normalises every status spelling', () => {
    const parsed = parseAppList(output('ls-o-file.txt'));
    if (!parsed.ok) throw parsed.error;
    const tables = tablesFromShell(parsed.value);
    expect(tables.length).toBeGreaterThan(0);
    expect(compareTables(tables, tables).same).toBe(true);
    expect(
      ['app_status::AS_AVAILABLE', 'AS_AVAILABLE', 'available', 'AVAILABLE'].map(normalizeTableStatus),
    ).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
  });

  it('reports missing, renamed and resized tables, and an available table the backup did not have', () => {
    const before = [
      table(1, 'stat', { partitionCount: 4 }),
      table(2, 'temp'),
      table(3, 'users'),
      table(5, 'gone'),
    ];
    const after = [
      table(1, 'stat', { partitionCount: 4 }),
      table(2, 'temp__2'),
      table(3, 'users', { partitionCount: 16, status: 'app_status::AS_AVAILABLE' }),
      table(4, '__drop_holder__4', { status: 'DROPPING', partitionCount: 1 }),
      table(6, 'stray'),
    ];
    const verdict = compareTables(before, after);
    expect(verdict).toEqual({
      same: false,
      matching: 1,
      expected: 4,
      differences: [
        'temp (id 2) is named temp__2',
        'users (id 3) has 16 partitions, not 8',
        'gone (id 5) is missing',
        'stray (id 6) is available but was not in the backup',
      ],
    });
  });

  it('ignores dropped tables of the backup, and counts a table that came back dropped as a difference', () => {
    const before = [table(1, 'stat'), table(2, 'old', { status: 'DROPPED' })];
    expect(compareTables(before, [table(1, 'stat')]).same).toBe(true);
    expect(compareTables(before, [table(1, 'stat', { status: 'AS_DROPPED' })]).differences).toEqual([
      'stat (id 1) is DROPPED',
    ]);
  });
});

describe('a backup kept in a run result', () => {
  it('reads back what was stored, and nothing from what is not a backup', () => {
    const stored = JSON.parse(
      JSON.stringify({
        source: 'shell',
        takenAt: 5,
        tables: [table(1, 'stat')],
        nodes: backup,
        tableFile: '/w/a',
        nodeFile: '/w/n',
      }),
    );
    expect(backupFrom(stored)).toEqual({
      source: 'shell',
      takenAt: 5,
      tables: [table(1, 'stat')],
      nodes: backup,
      tableFile: '/w/a',
      nodeFile: '/w/n',
    });
    expect(backupFrom({ nodes: [] })).toBeNull();
    expect(backupFrom(undefined)).toBeNull();
  });
});
