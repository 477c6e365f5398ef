/** A step's chart series stays bounded: the newest points as they came, older ones merged pairwise. */
import { describe, expect, it } from 'vitest';
import { ProgressSeriesBuffer, SERIES_MAX_POINTS } from '../../../electron/runner/progress-series';
import { StepProgressMeter } from '../../../electron/runner/step-progress';

const NAMES = { label: 'rows per second', unit: 'rows/s', tUnit: 's' };

describe('ProgressSeriesBuffer', () => {
  it('keeps every point until it is full, with the names of the series', () => {
    const buffer = new ProgressSeriesBuffer(10);
    expect(buffer.view()).toBeUndefined();
    for (let t = 1; t <= 10; t += 1) buffer.add({ t, v: t * 100, ...NAMES });
    const view = buffer.view()!;
    expect(view).toMatchObject(NAMES);
    expect(view.points).toEqual(Array.from({ length: 10 }, (_, i) => ({ t: i + 1, v: (i + 1) * 100 })));
  });

  it('past the bound merges the older half pairwise (later t, mean v) and keeps the newer half', () => {
    const buffer = new ProgressSeriesBuffer(10);
    for (let t = 1; t <= 11; t += 1) buffer.add({ t, v: t * 10, ...NAMES });
    // 11 points: the older 6 become 3 (t 2, 4, 6), the newest 5 (t 7..11) stay as they came.
    expect(buffer.view()!.points).toEqual([
      { t: 2, v: 15 },
      { t: 4, v: 35 },
      { t: 6, v: 55 },
      { t: 7, v: 70 },
      { t: 8, v: 80 },
      { t: 9, v: 90 },
      { t: 10, v: 100 },
      { t: 11, v: 110 },
    ]);
  });

  it('stays within the bound over a long step, in t order, newest points exact, oldest coarsest', () => {
    const buffer = new ProgressSeriesBuffer();
    const seconds = 4 * 3600;
    for (let t = 1; t <= seconds; t += 1) buffer.add({ t, v: 1000, ...NAMES });
    const points = buffer.view()!.points;
    expect(points.length).toBeLessThanOrEqual(SERIES_MAX_POINTS);
    expect(points.length).toBeGreaterThan(SERIES_MAX_POINTS / 2);
    for (let i = 1; i < points.length; i += 1) expect(points[i]!.t).toBeGreaterThan(points[i - 1]!.t);
    // A constant rate stays that rate after any number of merges.
    expect(points.every((point) => point.v === 1000)).toBe(true);
    expect(points.at(-1)!.t).toBe(seconds);
    const recent = points.slice(-SERIES_MAX_POINTS / 2).map((point) => point.t);
    expect(recent).toEqual(Array.from({ length: SERIES_MAX_POINTS / 2 }, (_, i) => seconds - 149 + i));
    // The oldest gap is wider than the newest: older data was thinned more often.
    expect(points[1]!.t - points[0]!.t).toBeGreaterThan(points.at(-1)!.t - points.at(-2)!.t);
  });

  it('keeps a dip visible through merging (the area of a rate is kept)', () => {
    const buffer = new ProgressSeriesBuffer(20);
    for (let t = 1; t <= 40; t += 1) buffer.add({ t, v: t === 4 || t === 5 ? 0 : 1000, ...NAMES });
    const points = buffer.view()!.points;
    expect(points.length).toBeLessThanOrEqual(20);
    expect(Math.min(...points.map((point) => point.v))).toBeLessThan(1000);
  });

  it('ignores points that are not numbers and refuses a bound too small to thin', () => {
    const buffer = new ProgressSeriesBuffer(10);
    buffer.add({ t: Number.NaN, v: 1, ...NAMES });
    buffer.add({ t: 1, v: Number.POSITIVE_INFINITY, ...NAMES });
    expect(buffer.view()).toBeUndefined();
    expect(() => new ProgressSeriesBuffer(2)).toThrow('at least 4 points');
  });

  it('hands out copies: a view does not change when points are added later', () => {
    const buffer = new ProgressSeriesBuffer(10);
    buffer.add({ t: 1, v: 5, ...NAMES });
    const before = buffer.view()!;
    buffer.add({ t: 2, v: 6, ...NAMES });
    expect(before.points).toEqual([{ t: 1, v: 5 }]);
  });
});

describe('StepProgressMeter with points', () => {
  it('carries the series in the view once the step reports points, and keeps it between points', () => {
    const meter = new StepProgressMeter(() => 0);
    expect(meter.update({ done: 0, total: 4, unit: 'splits' }).series).toBeUndefined();
    meter.update({ done: 1, total: 4, unit: 'splits', point: { t: 1, v: 800, ...NAMES } });
    const view = meter.update({ done: 2, total: 4, unit: 'splits', point: { t: 2, v: 1200, ...NAMES } });
    expect(view.series).toEqual({
      ...NAMES,
      points: [
        { t: 1, v: 800 },
        { t: 2, v: 1200 },
      ],
    });
    expect(meter.update({ done: 3, total: 4, unit: 'splits' }).series?.points).toHaveLength(2);
    expect(meter.current?.series?.points.at(-1)).toEqual({ t: 2, v: 1200 });
  });
});
