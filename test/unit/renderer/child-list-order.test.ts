import { describe, expect, it } from 'vitest';
import { isOlderChildList } from '../../../renderer/src/features/explorer/child-list-order';

describe('isOlderChildList', () => {
  it('takes any list when none is shown yet', () => {
    expect(isOlderChildList(undefined, '0x5')).toBe(false);
  });

  it('drops a list read before the one shown (an answer that arrived late)', () => {
    expect(isOlderChildList('0x1a', '0x19')).toBe(true);
  });

  it('takes the same or a newer list', () => {
    expect(isOlderChildList('0x1a', '0x1a')).toBe(false);
    expect(isOlderChildList('0x1a', '0x1b')).toBe(false);
  });

  it('compares zxids numerically, epoch in the high 32 bits, beyond 2^53', () => {
    // Epoch 2, counter 1 is newer than epoch 1, counter 0xffffffff.
    expect(isOlderChildList('0x200000001', '0x1ffffffff')).toBe(true);
    expect(isOlderChildList('0x1ffffffff', '0x200000001')).toBe(false);
    expect(isOlderChildList('0x7fffffffffffffff', '0x7ffffffffffffffe')).toBe(true);
  });

  it('takes a list whose zxid it cannot read rather than hide a fresh one', () => {
    expect(isOlderChildList('0x1a', 'not-a-zxid')).toBe(false);
  });
});
