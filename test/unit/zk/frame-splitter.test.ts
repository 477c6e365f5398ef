import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../../electron/zk/frame-splitter';

function frame(body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

describe('FrameSplitter', () => {
  it('hands over whole frames, however the stream is cut into chunks', () => {
    const bodies = Array.from({ length: 200 }, (_, i) => randomBytes(i % 7 === 0 ? 5000 : i % 50));
    const stream = Buffer.concat(bodies.map(frame));
    for (const chunkSize of [1, 3, 4, 5, 64, 1000, 65_536, stream.length]) {
      const splitter = new FrameSplitter();
      const got: Buffer[] = [];
      for (let offset = 0; offset < stream.length; offset += chunkSize) {
        splitter.push('socket', stream.subarray(offset, offset + chunkSize), (f) => got.push(Buffer.from(f)));
      }
      expect(got.length, `chunks of ${chunkSize}`).toBe(bodies.length);
      expect(got.every((f, i) => f.equals(frame(bodies[i]!)))).toBe(true);
    }
  });

  it('forgets a partial frame when the connection changes', () => {
    const splitter = new FrameSplitter();
    const got: Buffer[] = [];
    const whole = frame(Buffer.from('hello'));
    splitter.push('old', whole.subarray(0, 6), (f) => got.push(f));
    splitter.push('new', frame(Buffer.from('fresh')), (f) => got.push(f));
    expect(got.map((f) => f.subarray(4).toString())).toEqual(['fresh']);
  });

  it('stops handing over frames once told the connection was dropped', () => {
    const splitter = new FrameSplitter();
    const got: string[] = [];
    let dropped = false;
    const chunk = Buffer.concat(['a', 'b', 'c'].map((text) => frame(Buffer.from(text))));
    splitter.push(
      's',
      chunk,
      (f) => {
        got.push(f.subarray(4).toString());
        dropped = true;
      },
      () => dropped,
    );
    expect(got).toEqual(['a']);
  });
});
