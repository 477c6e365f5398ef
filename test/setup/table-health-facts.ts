/**
 * A cluster's tables as rows of facts in one column order, so what a loader summarized and what the
 * seeder promised compare with one toEqual (a mismatch shows the table's row and the column).
 */

/** Every health fact a summary row and a seed expectation both carry. */
export const HEALTH_FACTS = [
  'appId',
  'name',
  'status',
  'partitionsFound',
  'fullyHealthy',
  'unhealthy',
  'writeUnhealthy',
  'readUnhealthy',
  'splitting',
  'duplicating',
] as const;

type HealthFact = (typeof HEALTH_FACTS)[number];

/** Each table as the values of `facts`, in that order. */
export function healthFacts<K extends HealthFact>(
  tables: readonly Record<K, unknown>[],
  facts: readonly K[],
): unknown[][] {
  return tables.map((table) => facts.map((fact) => table[fact]));
}
