import { describe, expect, it } from 'vitest';
import {
  filteredChildren,
  flattenTree,
  type TreeNodes,
} from '../../../renderer/src/features/explorer/tree-model';

const names = (count: number) =>
  Array.from({ length: count }, (_, i) => `child-${String(i).padStart(6, '0')}`);

describe('the filter row of an expanded node', () => {
  it('appears above the children of a node with many children, with the counts', () => {
    const nodes: TreeNodes = { '/': { status: 'loaded', children: names(60) } };
    const rows = flattenTree(nodes, { '/': true });
    expect(rows[1]).toEqual({
      kind: 'filter',
      key: '/\u0000filter',
      parentPath: '/',
      depth: 1,
      text: '',
      total: 60,
      shown: 60,
    });
    expect(rows).toHaveLength(62);
  });

  it('does not appear for a few children, unless a filter was typed', () => {
    const nodes: TreeNodes = { '/': { status: 'loaded', children: ['a', 'b'] } };
    expect(flattenTree(nodes, { '/': true }).some((row) => row.kind === 'filter')).toBe(false);
    const filtered = flattenTree(nodes, { '/': true }, '/', { filters: { '/': 'b' } });
    expect(filtered.map((row) => (row.kind === 'node' ? row.path : row.kind))).toEqual(['/', 'filter', '/b']);
  });

  it('keeps only matching children, and keeps the expanded state of those shown', () => {
    const nodes: TreeNodes = {
      '/': { status: 'loaded', children: names(100) },
      '/child-000042': { status: 'loaded', children: ['x'] },
    };
    const rows = flattenTree(nodes, { '/': true, '/child-000042': true }, '/', { filters: { '/': '*4?' } });
    const paths = rows.flatMap((row) => (row.kind === 'node' ? [row.path] : []));
    expect(paths).toEqual([
      '/',
      ...Array.from({ length: 10 }, (_, i) => `/child-00004${i}`).flatMap((p) =>
        p === '/child-000042' ? [p, `${p}/x`] : [p],
      ),
    ]);
    expect(rows[1]).toMatchObject({ kind: 'filter', total: 100, shown: 10 });
  });

  it('shows the filter row alone when nothing matches', () => {
    const nodes: TreeNodes = { '/': { status: 'loaded', children: names(60) } };
    const rows = flattenTree(nodes, { '/': true }, '/', { filters: { '/': 'nothing-like-this' } });
    expect(rows.map((row) => row.kind)).toEqual(['node', 'filter']);
    expect(rows[1]).toMatchObject({ shown: 0 });
  });

  it('caches the filtered list per child list and text (typing costs one pass per keystroke)', () => {
    const list = names(100_000);
    const first = filteredChildren(list, '0999');
    expect(filteredChildren(list, '0999')).toBe(first);
    expect(filteredChildren(list, '')).toBe(list);
    const rows = flattenTree({ '/': { status: 'loaded', children: list } }, { '/': true });
    expect(rows).toHaveLength(100_002);
  });

  it('marks rows known to be ephemeral', () => {
    const nodes: TreeNodes = {
      '/': { status: 'loaded', children: ['lock'] },
      '/lock': { status: 'idle', numChildren: 0, ephemeralOwner: '0x1a2b' },
    };
    const lock = flattenTree(nodes, { '/': true })[1];
    expect(lock).toMatchObject({ kind: 'node', ephemeral: true, expandable: false });
  });
});
