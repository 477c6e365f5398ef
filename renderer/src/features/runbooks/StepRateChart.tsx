/**
 * A step's chart (copy_data's rows per second): live from the series the host streams with the
 * step's progress, and from the recorded samples once the step finished, so a stall or a throttled
 * target is visible as a dip rather than only as a slower ETA.
 */
import { Box, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { Area, AreaChart, CartesianGrid, Tooltip as ChartTooltip, XAxis, YAxis } from 'recharts';
import type { StepView } from '../../../../shared/api/run-views';
import { stepSeries } from './step-series';

const CHART_HEIGHT = 180;
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function StepRateChart({ step }: { step: StepView }) {
  const series = stepSeries(step);
  const { ref, width } = useElementSize();
  if (!series) return null;
  const last = series.points.at(-1)!;
  const peak = Math.max(...series.points.map((point) => point.v));
  return (
    <Box
      ref={ref}
      data-testid="step-rate-chart"
      data-points={series.points.length}
      data-last={last.v}
      data-source={step.progress?.series?.points.length ? 'progress' : 'result'}
    >
      <Group justify="space-between" gap="xs">
        <Text size="xs" fw={500}>
          {series.label}
        </Text>
        <Text size="xs" c="dimmed" data-testid="step-rate-chart-summary">
          last {fmt.format(last.v)} {series.unit} · peak {fmt.format(peak)} {series.unit} ·{' '}
          {series.points.length} points
        </Text>
      </Group>
      <AreaChart
        width={Math.max(width || 480, 240)}
        height={CHART_HEIGHT}
        data={series.points}
        margin={{ top: 8, right: 16, bottom: 16, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-dark-4)" />
        <XAxis
          dataKey="t"
          type="number"
          domain={['dataMin', 'dataMax']}
          tick={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
          label={{ value: series.tUnit, position: 'insideBottomRight', offset: -8, fontSize: 11 }}
        />
        <YAxis
          allowDecimals={false}
          width={64}
          tick={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
          tickFormatter={(value: number) => fmt.format(value)}
        />
        <ChartTooltip
          contentStyle={{
            background: 'var(--mantine-color-body)',
            border: '1px solid var(--mantine-color-default-border)',
          }}
          labelFormatter={(t) => `${t} ${series.tUnit}`}
          formatter={(value) => [`${fmt.format(Number(value))} ${series.unit}`, series.label]}
        />
        <Area
          type="monotone"
          dataKey="v"
          stroke="var(--mantine-color-teal-6)"
          fill="var(--mantine-color-teal-6)"
          fillOpacity={0.2}
          isAnimationActive={false}
        />
      </AreaChart>
    </Box>
  );
}
