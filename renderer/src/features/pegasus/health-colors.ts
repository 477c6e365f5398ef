/** One colour per health class, the same in the badges, the partition grid and the chart. */
export type HealthClass =
  | 'healthy'
  | 'unhealthy'
  | 'write-unhealthy'
  | 'read-unhealthy'
  | 'missing'
  | 'undecoded'
  | 'n/a';

export const HEALTH_COLOR: Record<HealthClass, string> = {
  healthy: 'teal',
  unhealthy: 'yellow',
  'write-unhealthy': 'orange',
  'read-unhealthy': 'red',
  missing: 'gray',
  undecoded: 'grape',
  'n/a': 'gray',
};

export const HEALTH_LABEL: Record<HealthClass, string> = {
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  'write-unhealthy': 'write-unhealthy',
  'read-unhealthy': 'read-unhealthy',
  missing: 'missing (split)',
  undecoded: 'not decoded',
  'n/a': 'n/a',
};

/** What each class means, by the shell's rules (reference §9). */
export const HEALTH_MEANING: Record<HealthClass, string> = {
  healthy: 'primary set and replica count >= max replica count',
  unhealthy: 'fewer replicas than max replica count, still writable',
  'write-unhealthy': 'only the primary is left: writes fail',
  'read-unhealthy': 'no primary: reads and writes fail',
  missing: 'no partition node yet: a split child that has not registered',
  undecoded: 'the partition node could not be decoded (see warnings)',
  'n/a': 'not an available table',
};
