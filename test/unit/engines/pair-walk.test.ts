import { describe, expect, it } from 'vitest';
import {
  type ExportedNode,
  type ExportedTree,
  parseExport,
} from '../../../electron/engines/zk-export/export-format';
import { SnapshotReader } from '../../../electron/engines/zk-export/snapshot-reader';
import { type PairRecord, pairWalk } from '../../../electron/engines/zk-copy/pair-walk';
import { PathFilter } from '../../../electron/engines/zk-copy/path-filter';
import type { ReadResult, TreeReader } from '../../../electron/engines/zk-copy/tree-reader';
import { preorderKey } from '../../../electron/zk/tree-walker';

function tree(paths: Record<string, string>): ExportedTree {
  const nodes = Object.entries(paths).map(([path, data]) => ({
    path,
    data: Buffer.from(data).toString('base64'),
    acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
    ephemeral: data === 'EPH',
  }));
  return parseExport(
    { format: 'migration-desk.zk-export', version: 1, root: '/', nodes, complete: true },
    'test',
  );
}

/** Counts the reads a side gets, to prove the walk reads nothing it need not. */
class Counting implements TreeReader {
  reads: string[] = [];
  readonly lanes = 2;
  constructor(private readonly inner: SnapshotReader) {}
  get label() {
    return this.inner.label;
  }
  get rootPath() {
    return this.inner.rootPath;
  }
  isReserved(rel: string) {
    return rel === '/zookeeper' && this.inner.rootPath === '/';
  }
  read(rel: string, lane: number, acl: boolean): Promise<ReadResult> {
    this.reads.push(rel);
    return this.inner.read(rel, lane, acl);
  }
  children(rel: string, lane: number) {
    return this.inner.children(rel, lane);
  }
  async close() {}
}

const side = (paths: Record<string, string>, root = '/') =>
  new Counting(new SnapshotReader(tree(paths), root, 'mem'));

async function walk(
  options: Partial<Parameters<typeof pairWalk>[0]> & { source: TreeReader; target: TreeReader },
) {
  const records: PairRecord[] = [];
  for await (const record of pairWalk({ withAcl: true, extras: false, filter: new PathFilter(), ...options }))
    records.push(record);
  return new Map(records.map((record) => [record.rel, record]));
}

const state = (result: ReadResult | undefined) => result?.state;

describe('pairWalk', () => {
  const source = { '/': '', '/a': 'a', '/a/x': 'x', '/b': 'b', '/zookeeper': 'reserved', '/e': 'EPH' };

  it('reads nothing on the target below a node the target lacks', async () => {
    const target = side({ '/': '' });
    const records = await walk({ source: side(source), target });
    expect([...records.keys()].sort()).toEqual(['', '/a', '/a/x', '/b', '/e']);
    expect(state(records.get('/a/x')?.target)).toBe('absent');
    // The root (unknown) only: /a and /b were known absent from the root's child list.
    expect(target.reads).toEqual(['']);
  });

  it('merges both child lists: target-only nodes are visited for extras, counted on their parent', async () => {
    const target = side({ '/': '', '/a': 'a', '/a/old': 'o', '/a/old/deeper': 'd', '/z': 'z' });
    const records = await walk({ source: side(source), target, extras: true });
    expect(state(records.get('/a/old')?.source)).toBe('absent');
    expect(state(records.get('/a/old')?.target)).toBe('present');
    expect(records.get('/a/old')?.targetOnlyChildren).toBe(1);
    expect(records.get('/a')?.targetOnlyChildren).toBe(1);
    expect(records.get('')?.targetOnlyChildren).toBe(1);
    expect(records.has('/a/old/deeper')).toBe(true);
    // Without extras they are not even read.
    const plain = await walk({ source: side(source), target: side({ '/': '', '/a': 'a', '/a/old': 'o' }) });
    expect(plain.has('/a/old')).toBe(false);
  });

  it('never treats /zookeeper at the ensemble root as data, on either side', async () => {
    const records = await walk({
      source: side(source),
      target: side({ '/': '', '/zookeeper': 'theirs' }),
      extras: true,
    });
    expect(records.has('/zookeeper')).toBe(false);
  });

  it('applies filters: excluded subtrees not walked, included ones with their ancestors as structure', async () => {
    const records = await walk({
      source: side(source),
      target: side({ '/': '' }),
      filter: new PathFilter(['/a/x']),
    });
    expect([...records.keys()].sort()).toEqual(['', '/a', '/a/x']);
    expect(records.get('/a')?.scope).toBe('structural');
    expect(records.get('/a/x')?.scope).toBe('full');
  });

  it('on resume, skips whole subtrees before the cursor and revisits only its ancestors', async () => {
    const records = await walk({
      source: side(source),
      target: side({ '/': '' }),
      resumeAfter: preorderKey('/a/x'),
    });
    expect([...records.keys()].sort()).toEqual(['', '/a', '/a/x', '/b', '/e']);
    const after = await walk({
      source: side(source),
      target: side({ '/': '' }),
      resumeAfter: preorderKey('/b'),
    });
    expect([...after.keys()].sort()).toEqual(['', '/b', '/e']);
  });

  it('reports a side it may not read', async () => {
    const denied = side({ '/': '' });
    denied.read = async (rel) =>
      rel === '' ? { state: 'unreadable', code: 'NO_AUTH', message: 'no' } : { state: 'absent' };
    const records = await walk({ source: side(source), target: denied });
    expect(records.get('')?.target).toMatchObject({ state: 'unreadable', code: 'NO_AUTH' });
  });

  it('keeps data bytes exactly as read', async () => {
    const data: ExportedNode['data'] = Buffer.from([0, 1, 255]);
    const exported = tree({ '/': '' });
    exported.nodes.set('/bin', { path: '/bin', data, acl: [], ephemeral: false, children: [] });
    exported.nodes.get('/')!.children.push('bin');
    const records = await walk({ source: new SnapshotReader(exported, '/', 's'), target: side({ '/': '' }) });
    const bin = records.get('/bin')?.source;
    expect(bin?.state === 'present' && bin.node.data).toEqual(data);
  });
});
