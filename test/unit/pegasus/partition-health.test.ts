import { describe, expect, it } from 'vitest';
import {
  classifyPartition,
  summarizeClusterHealth,
  summarizeTableHealth,
} from '../../../electron/pegasus/partition-health';

const p = (primary: string | null, secondaries: string[], maxReplicaCount = 3) =>
  classifyPartition({ primary, secondaries, maxReplicaCount });

describe('classifyPartition (reference §9)', () => {
  it('primary + enough secondaries: fully healthy', () => {
    expect(p('a:1', ['b:1', 'c:1'])).toEqual({
      replicaCount: 3,
      maxReplicaCount: 3,
      fullyHealthy: true,
      writeUnhealthy: false,
      readUnhealthy: false,
      level: 'healthy',
    });
    // More replicas than required is still fully healthy (>=).
    expect(p('a:1', ['b:1', 'c:1', 'd:1']).fullyHealthy).toBe(true);
  });

  it('primary + one secondary under max 3: unhealthy but neither write- nor read-unhealthy', () => {
    expect(p('a:1', ['b:1'])).toMatchObject({
      replicaCount: 2,
      fullyHealthy: false,
      writeUnhealthy: false,
      readUnhealthy: false,
      level: 'unhealthy',
    });
  });

  it('only the primary left: write-unhealthy', () => {
    expect(p('a:1', [])).toMatchObject({
      replicaCount: 1,
      fullyHealthy: false,
      writeUnhealthy: true,
      readUnhealthy: false,
      level: 'write-unhealthy',
    });
  });

  it('a single-replica table with its primary is fully healthy, not write-unhealthy', () => {
    // The shell checks replica_count >= max first; only otherwise does replica_count < 2 matter.
    expect(p('a:1', [], 1)).toMatchObject({ fullyHealthy: true, writeUnhealthy: false, level: 'healthy' });
  });

  it('no primary: write-unhealthy and read-unhealthy, even with secondaries', () => {
    expect(p(null, ['b:1', 'c:1'])).toMatchObject({
      replicaCount: 2,
      fullyHealthy: false,
      writeUnhealthy: true,
      readUnhealthy: true,
      level: 'read-unhealthy',
    });
    expect(p(null, [])).toMatchObject({ replicaCount: 0, writeUnhealthy: true, readUnhealthy: true });
  });
});

describe('summarizeTableHealth', () => {
  it('unhealthy = partition_count - fully_healthy, write-unhealthy partitions included', () => {
    const partitions = [p('a:1', ['b:1', 'c:1']), p('a:1', ['b:1']), p('a:1', []), p(null, ['b:1'])];
    expect(summarizeTableHealth(4, partitions)).toEqual({
      partitionCount: 4,
      fullyHealthy: 1,
      unhealthy: 3,
      writeUnhealthy: 2,
      readUnhealthy: 1,
    });
  });

  it('partitions that are not there (a split in progress) count as unhealthy', () => {
    const healthy = Array.from({ length: 6 }, () => p('a:1', ['b:1', 'c:1']));
    expect(summarizeTableHealth(8, healthy)).toMatchObject({
      fullyHealthy: 6,
      unhealthy: 2,
      writeUnhealthy: 0,
      readUnhealthy: 0,
    });
  });
});

describe('summarizeClusterHealth', () => {
  it('counts tables like the shell summary', () => {
    const counts = summarizeClusterHealth([
      { partitionCount: 4, fullyHealthy: 4, unhealthy: 0, writeUnhealthy: 0, readUnhealthy: 0 },
      { partitionCount: 4, fullyHealthy: 3, unhealthy: 1, writeUnhealthy: 0, readUnhealthy: 0 },
      { partitionCount: 4, fullyHealthy: 2, unhealthy: 2, writeUnhealthy: 2, readUnhealthy: 1 },
    ]);
    expect(counts).toEqual({
      fullyHealthyAppCount: 1,
      unhealthyAppCount: 2,
      writeUnhealthyAppCount: 1,
      readUnhealthyAppCount: 1,
    });
  });
});
