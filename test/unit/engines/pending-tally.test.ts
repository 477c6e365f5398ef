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

  it('gathers what one item adds at different times (read, then its write settled) in one entry', () => {
    const tally = new PendingTally({ records: 0, created: 0, bytes: 0 });
    const a = preorderKey('/a');
    const b = preorderKey('/b');
    const entryA = tally.add(a, 'records');
    tally.add(b, 'records');
    tally.addTo(entryA, 'created');
    tally.addTo(entryA, 'bytes', 100);
    expect(tally.pending).toBe(2);
    expect(tally.live).toEqual({ records: 2, created: 1, bytes: 100 });
    tally.commit(b);
    expect(tally.committed).toEqual({ records: 1, created: 1, bytes: 100 });
    // Once committed, an entry is closed: adding to it opens a new one for its key.
    tally.addTo(entryA, 'created');
    expect(tally.pending).toBe(2);
    tally.commitAll();
    expect(tally.committed).toEqual({ records: 2, created: 2, bytes: 100 });
  });

  it('keeps its heap ordered over many random keys', () => {
    const tally = new PendingTally({ n: 0 });
    const keys = Array.from({ length: 5000 }, (_, i) => preorderKey(`/k${(i * 7919) % 5000}`));
    for (const key of keys) tally.add(key, 'n');
    const cut = preorderKey('/k2500');
    tally.commit(cut);
    expect(tally.committed.n).toBe(keys.filter((key) => key < cut).length);
  });

  it('commits what a plain list would, when mostly ordered arrivals mix with late ones and commits', () => {
    const fields = ['records', 'created', 'bytes'] as const;
    const tally = new PendingTally({ records: 0, created: 0, bytes: 0 });
    const reference: { key: string; field: (typeof fields)[number]; amount: number }[] = [];
    const expected = { records: 0, created: 0, bytes: 0 };
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const handles: ReturnType<typeof tally.add>[] = [];
    let committedUpTo = '';
    for (let i = 0; i < 3000; i += 1) {
      // Mostly the next key in order; one in five lands below keys already added.
      const n = random() < 0.8 ? i : Math.floor(random() * i);
      const key = preorderKey(`/n${String(n).padStart(5, '0')}`);
      const field = fields[Math.floor(random() * fields.length)]!;
      const amount = 1 + Math.floor(random() * 100);
      if (random() < 0.3 && handles.length > 0) {
        const handle = handles[Math.floor(random() * handles.length)]!;
        tally.addTo(handle, field, amount);
        reference.push({ key: handle.key, field, amount });
      } else {
        handles.push(tally.add(key, field, amount));
        reference.push({ key, field, amount });
      }
      if (i % 97 === 0) {
        const cursor = preorderKey(`/n${String(Math.floor(i * 0.9)).padStart(5, '0')}`);
        if (cursor > committedUpTo) committedUpTo = cursor;
        tally.commit(cursor);
        // Committed: every contribution with a key below the highest cursor so far, exactly once.
        const want = { records: 0, created: 0, bytes: 0 };
        for (const item of reference) if (item.key < committedUpTo) want[item.field] += item.amount;
        expect(tally.committed).toEqual(want);
      }
    }
    for (const item of reference) expected[item.field] += item.amount;
    expect(tally.live).toEqual(expected);
    tally.commitAll();
    expect(tally.committed).toEqual(expected);
    expect(tally.pending).toBe(0);
  });
});
