import { describe, expect, it } from 'vitest';
import { PendingTally } from '../../../electron/engines/zk-copy/pending-tally';
import { preorderKey } from '../../../electron/zk/tree-walker';

describe('PendingTally', () => {
  it('commits only contributions of items before the cursor, in any arrival order', () => {
    const tally = new PendingTally({ created: 5, unchanged: 0 });
    const paths = ['/c', '/a', '/b/x', '/b', '/d', '/a/z'];
    for (const path of paths) tally.add(preorderKey(path), path.length > 2 ? 'unchanged' : 'created');
    expect(tally.live).toEqual({ created: 9, unchanged: 2 });
    tally.commit(preorderKey('/b/x'));
    // Before /b/x in pre-order: /a, /a/z, /b.
    expect(tally.committed).toEqual({ created: 7, unchanged: 1 });
    expect(tally.pending).toBe(3);
    tally.commitAll();
    expect(tally.committed).toEqual(tally.live);
  });

  it('keeps its heap ordered over many random keys', () => {
    const tally = new PendingTally({ n: 0 });
    const keys = Array.from({ length: 5000 }, (_, i) => preorderKey(`/k${(i * 7919) % 5000}`));
    for (const key of keys) tally.add(key, 'n');
    const cut = preorderKey('/k2500');
    tally.commit(cut);
    expect(tally.committed.n).toBe(keys.filter((key) => key < cut).length);
  });
});
