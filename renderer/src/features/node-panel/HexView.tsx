/**
 * Classic hex dump, virtualized: a 1 MB node is 65,536 lines, of which only those in view are built
 * and rendered.
 */
import { Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { hexDumpLine, hexDumpLineCount } from '../../lib/hex-dump';
import classes from './DataViews.module.css';

const LINE_HEIGHT = 20;

export function HexView({ bytes }: { bytes: Uint8Array }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = hexDumpLineCount(bytes.length);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  if (count === 0) {
    return (
      <div className={classes.box} data-testid="node-hex">
        <Text c="dimmed" fs="italic" size="sm">
          (empty)
        </Text>
      </div>
    );
  }
  return (
    <div
      ref={scrollRef}
      className={`${classes.box} ${classes.hex}`}
      // As tall as the dump needs, up to the same cap as the other views.
      style={{ height: `min(45vh, ${count * LINE_HEIGHT + 10}px)` }}
      data-testid="node-hex"
      data-lines={count}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = hexDumpLine(bytes, item.index);
          return (
            <div
              key={item.key}
              className={classes.hexLine}
              style={{ height: LINE_HEIGHT, transform: `translateY(${item.start}px)` }}
              data-testid="hex-line"
            >
              <span className={classes.offset}>{line.offset}</span>
              <span>{line.hex}</span>
              <span className={classes.ascii}>|{line.ascii}|</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
