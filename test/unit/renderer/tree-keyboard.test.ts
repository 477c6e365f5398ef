import { describe, expect, it } from 'vitest';
import { treeKeyAction } from '../../../renderer/src/features/explorer/tree-keyboard';
import { flattenTree, type TreeNodes } from '../../../renderer/src/features/explorer/tree-model';

const nodes: TreeNodes = {
  '/': { status: 'loaded', children: ['a', 'b'] },
  '/a': { status: 'loaded', children: ['x'] },
  '/b': { status: 'idle', numChildren: 0 },
};
const rows = flattenTree(nodes, { '/': true, '/a': true });

describe('treeKeyAction', () => {
  it('moves up and down over node rows', () => {
    expect(treeKeyAction('ArrowDown', rows, '/')).toEqual({ kind: 'select', path: '/a' });
    expect(treeKeyAction('ArrowDown', rows, '/a')).toEqual({ kind: 'select', path: '/a/x' });
    expect(treeKeyAction('ArrowUp', rows, '/b')).toEqual({ kind: 'select', path: '/a/x' });
    expect(treeKeyAction('ArrowDown', rows, '/b')).toBeNull();
    expect(treeKeyAction('End', rows, '/')).toEqual({ kind: 'select', path: '/b' });
  });

  it('selects the first row when nothing is selected', () => {
    expect(treeKeyAction('ArrowDown', rows, null)).toEqual({ kind: 'select', path: '/' });
  });

  it('expands, steps in, collapses and steps out', () => {
    expect(treeKeyAction('ArrowRight', rows, '/a/x')).toEqual({ kind: 'toggle', path: '/a/x' });
    expect(treeKeyAction('ArrowRight', rows, '/a')).toEqual({ kind: 'select', path: '/a/x' });
    expect(treeKeyAction('ArrowLeft', rows, '/a')).toEqual({ kind: 'toggle', path: '/a' });
    expect(treeKeyAction('ArrowLeft', rows, '/a/x')).toEqual({ kind: 'select', path: '/a' });
    expect(treeKeyAction('ArrowLeft', rows, '/')).toEqual({ kind: 'toggle', path: '/' });
  });

  it('does not expand a known leaf', () => {
    expect(treeKeyAction('ArrowRight', rows, '/b')).toBeNull();
    expect(treeKeyAction('Enter', rows, '/b')).toBeNull();
  });
});
