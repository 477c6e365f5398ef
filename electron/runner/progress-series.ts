/**
 * The bounded chart series of a running step (copy_data's rows per second, say). A step can run for
 * hours at a point per second, and the series goes out with every progress event and into the step
 * record, so it must stay small: the newest points are kept as they came (the part the operator
 * watches), and once the series is full the older part is merged pairwise: two neighbours become
 * one point at the later t with their mean v. A rate keeps its area that way (a dip stays visible as
 * a shallower dip) and the oldest data ends up coarsest.
 */
import type { ProgressSeries, ProgressSeriesPoint } from '../../shared/api/runs';

/** Points kept at most; the chart is a few hundred pixels wide. */
export const SERIES_MAX_POINTS = 300;

export class ProgressSeriesBuffer {
  private readonly points: ProgressSeriesPoint[] = [];
  private names: Pick<ProgressSeries, 'label' | 'unit' | 'tUnit'> | null = null;

  constructor(private readonly maxPoints = SERIES_MAX_POINTS) {
    if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new Error('a series keeps at least 4 points');
  }

  /** Adds a point; a non-finite one is ignored (a parse slip must not poison the chart). */
  add(point: { t: number; v: number; label: string; unit: string; tUnit: string }): void {
    if (!Number.isFinite(point.t) || !Number.isFinite(point.v)) return;
    this.names ??= { label: point.label, unit: point.unit, tUnit: point.tUnit };
    this.points.push({ t: point.t, v: point.v });
    if (this.points.length > this.maxPoints) this.thin();
  }

  /** A copy for a view (views are serialised and must not change under the reader). */
  view(): ProgressSeries | undefined {
    if (!this.names || this.points.length === 0) return undefined;
    return { ...this.names, points: this.points.map((point) => ({ ...point })) };
  }

  /** Merges the older half pairwise; the newer half stays as it came. */
  private thin(): void {
    const keepRecent = Math.floor(this.maxPoints / 2);
    const older = this.points.slice(0, this.points.length - keepRecent);
    const recent = this.points.slice(this.points.length - keepRecent);
    const merged: ProgressSeriesPoint[] = [];
    for (let index = 0; index < older.length; index += 2) {
      const first = older[index]!;
      const second = older[index + 1];
      merged.push(second ? { t: second.t, v: (first.v + second.v) / 2 } : first);
    }
    this.points.splice(0, this.points.length, ...merged, ...recent);
  }
}
