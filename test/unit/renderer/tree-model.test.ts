import { describe, expect, it } from 'vitest';
import { flattenTree, rowIndexOf, type TreeNodes } from '../../../renderer/src/features/explorer/tree-model';

const summary = (rows: ReturnType<typeof flattenTree>) =>
  rows.map((row) =>
    row.kind === 'node'
      ? `${'  '.repeat(row.depth)}${row.path}${row.expanded ? ' [-]' : ''}`
      : `${'  '.repeat(row.depth)}<${row.kind}>`,
  );

describe('flattenTree', () => {
  it('shows only the root while nothing is expanded', () => {
    const rows = flattenTree({}, {});
    expect(rows).toEqual([
      {
        kind: 'node',
        key: '/',
        path: '/',
        name: '/',
        depth: 0,
        expanded: false,
        expandable: true,
        loading: false,
      },
    ]);
  });

  it('shows a loading row under an expanded node whose children are loading', () => {
    const rows = flattenTree({ '/': { status: 'loading' } }, { '/': true });
    expect(summary(rows)).toEqual(['/ [-]', '  <loading>']);
    expect(rows[0]).toMatchObject({ loading: true });
  });

  it('walks expanded nodes depth first in the order of their children', () => {
    const nodes: TreeNodes = {
      '/': { status: 'loaded', children: ['a', 'b', 'zookeeper'], numChildren: 3 },
      '/a': { status: 'loaded', children: ['x', 'y'], numChildren: 2 },
      '/a/x': { status: 'loaded', children: [], numChildren: 0 },
      '/b': { status: 'loaded', children: ['c'], numChildren: 1 },
    };
    const rows = flattenTree(nodes, { '/': true, '/a': true, '/a/x': true });
    expect(summary(rows)).toEqual([
      '/ [-]',
      '  /a [-]',
      '    /a/x [-]',
      '      <empty>',
      '    /a/y',
      '  /b',
      '  /zookeeper',
    ]);
    expect(rows.find((row) => row.kind === 'node' && row.path === '/b')).toMatchObject({
      childCount: 1,
      expandable: true,
    });
    expect(rowIndexOf(rows, '/a/y')).toBe(4);
  });

  it('keeps children of collapsed nodes out of the rows', () => {
    const nodes: TreeNodes = {
      '/': { status: 'loaded', children: ['a'] },
      '/a': { status: 'loaded', children: ['x'] },
    };
    expect(summary(flattenTree(nodes, { '/': true }))).toEqual(['/ [-]', '  /a']);
  });

  it('marks known leaves as not expandable, unknown nodes as expandable', () => {
    const nodes: TreeNodes = {
      '/': { status: 'loaded', children: ['leaf', 'unknown'] },
      '/leaf': { status: 'idle', numChildren: 0 },
    };
    const rows = flattenTree(nodes, { '/': true });
    expect(rows[1]).toMatchObject({ path: '/leaf', expandable: false, childCount: 0 });
    expect(rows[2]).toMatchObject({ path: '/unknown', expandable: true });
    expect(rows[2]).not.toHaveProperty('childCount');
  });

  it('shows an error row with the message when loading failed', () => {
    const rows = flattenTree(
      { '/': { status: 'error', error: 'Could not reach 127.0.0.1:2199' } },
      { '/': true },
    );
    expect(rows[1]).toEqual({
      kind: 'error',
      key: '/\u0000error',
      parentPath: '/',
      depth: 1,
      message: 'Could not reach 127.0.0.1:2199',
    });
  });

  it('keeps the old children visible during a reload', () => {
    const rows = flattenTree({ '/': { status: 'loading', children: ['a'] } }, { '/': true });
    expect(summary(rows)).toEqual(['/ [-]', '  /a']);
  });

  it('flattens a node with 100k children quickly and without recursion', () => {
    const children = Array.from({ length: 100_000 }, (_, i) => `n${String(i).padStart(6, '0')}`);
    const started = performance.now();
    const rows = flattenTree({ '/': { status: 'loaded', children } }, { '/': true });
    // The node, its filter row (many children), and the children.
    expect(rows).toHaveLength(100_002);
    expect(performance.now() - started).toBeLessThan(1000);

    let path = '';
    const nodes: Record<string, { status: 'loaded'; children: string[] }> = {};
    const expanded: Record<string, boolean> = { '/': true };
    nodes['/'] = { status: 'loaded', children: ['d'] };
    for (let depth = 0; depth < 5000; depth++) {
      path += '/d';
      nodes[path] = { status: 'loaded', children: ['d'] };
      expanded[path] = true;
    }
    expect(flattenTree(nodes, expanded).length).toBeGreaterThan(5000);
  });

  it('can start at a chosen root', () => {
    const rows = flattenTree(
      { '/pegasus': { status: 'loaded', children: ['c1'] } },
      { '/pegasus': true },
      '/pegasus',
    );
    expect(summary(rows)).toEqual(['/pegasus [-]', '  /pegasus/c1']);
  });
});
