import { describe, expect, it } from 'vitest';
import {
  computeReplicaPlacement,
  type PlacementPartition,
  shellMeanStddev,
} from '../../../electron/pegasus/replica-placement';

const v25 = (primary: string | null, secondaries: string[]): PlacementPartition => ({
  address: { primary, secondaries },
  hostPort: null,
});
const v26 = (primary: [string, string] | null, secondaries: [string, string][]): PlacementPartition => ({
  address: { primary: primary?.[0] ?? null, secondaries: secondaries.map((s) => s[0]) },
  hostPort: { primary: primary?.[1] ?? null, secondaries: secondaries.map((s) => s[1]) },
});

describe('shellMeanStddev (utils::mean_stddev)', () => {
  it('population vs sample, rounded half-up to two decimals', () => {
    // [1,2,3,4]: population sqrt(1.25)=1.1180 -> 1.12; sample sqrt(5/3)=1.2910 -> 1.29
    expect(shellMeanStddev([1, 2, 3, 4], false)).toBe(1.12);
    expect(shellMeanStddev([1, 2, 3, 4], true)).toBe(1.29);
    // [2,4,4,4,5,5,7,9]: the textbook population stddev of exactly 2
    expect(shellMeanStddev([2, 4, 4, 4, 5, 5, 7, 9], false)).toBe(2);
    // [0,1]: population 0.5 exactly
    expect(shellMeanStddev([0, 1], false)).toBe(0.5);
    // [1,2,2]: population 0.4714 -> 0.47
    expect(shellMeanStddev([1, 2, 2], false)).toBe(0.47);
  });

  it('is 0 for fewer than two values', () => {
    expect(shellMeanStddev([], false)).toBe(0);
    expect(shellMeanStddev([7], true)).toBe(0);
  });
});

describe('computeReplicaPlacement', () => {
  it('counts primaries and secondaries per node and reports the population stddev without liveness', () => {
    const placement = computeReplicaPlacement([
      v25('a:1', ['b:1', 'c:1']),
      v25('a:1', ['b:1', 'c:1']),
      v25('b:1', ['a:1', 'c:1']),
      v25(null, ['c:1']),
    ]);
    expect(
      placement.nodes.map(({ address, primaries, secondaries, total }) => ({
        address,
        primaries,
        secondaries,
        total,
      })),
    ).toEqual([
      { address: 'a:1', primaries: 2, secondaries: 1, total: 3 },
      { address: 'b:1', primaries: 1, secondaries: 2, total: 3 },
      { address: 'c:1', primaries: 0, secondaries: 4, total: 4 },
    ]);
    expect(placement.liveness).toBe('assumed-alive');
    expect(placement.nodes.every((node) => node.alive === null)).toBe(true);
    // primaries [2,1,0]: population sqrt(2/3)=0.816 -> 0.82; totals [3,3,4]: 0.471 -> 0.47
    expect(placement.primaryReplicaCountStddev).toBe(0.82);
    expect(placement.totalReplicaCountStddev).toBe(0.47);
    expect(placement.sampleStddev).toEqual({ primary: false, total: false });
  });

  it('excludes UNALIVE nodes and switches to the sample formula when they still hold replicas', () => {
    const partitions = [
      v25('a:1', ['b:1', 'c:1']),
      v25('a:1', ['b:1', 'c:1']),
      v25('b:1', ['a:1', 'c:1']),
      v25(null, ['c:1']),
    ];
    const placement = computeReplicaPlacement(partitions, { unaliveNodes: ['c:1'] });
    expect(placement.nodes.find((node) => node.address === 'c:1')?.alive).toBe(false);
    expect(placement.liveness).toBe('from-meta');
    // alive a,b: primaries [2,1]; c holds no primary, so the primary figure stays population: 0.5
    expect(placement.sampleStddev).toEqual({ primary: false, total: true });
    expect(placement.primaryReplicaCountStddev).toBe(0.5);
    // totals [3,3] -> 0 (sample formula, same result)
    expect(placement.totalReplicaCountStddev).toBe(0);
  });

  it('maps 2.5 ip:port replicas to the host:port a 2.6 payload pairs them with', () => {
    const a: [string, string] = ['10.0.0.1:34801', 'rs-1:34801'];
    const b: [string, string] = ['10.0.0.2:34801', 'rs-2:34801'];
    const placement = computeReplicaPlacement([
      v26(a, [b]),
      v25('10.0.0.2:34801', ['10.0.0.1:34801', '10.0.0.9:34801']),
    ]);
    expect(placement.nodes).toEqual([
      { address: '10.0.0.9:34801', otherAddresses: [], primaries: 0, secondaries: 1, total: 1, alive: null },
      {
        address: 'rs-1:34801',
        otherAddresses: ['10.0.0.1:34801'],
        primaries: 1,
        secondaries: 1,
        total: 2,
        alive: null,
      },
      {
        address: 'rs-2:34801',
        otherAddresses: ['10.0.0.2:34801'],
        primaries: 1,
        secondaries: 1,
        total: 2,
        alive: null,
      },
    ]);
  });

  it('counts 2.6 payloads by host:port, so an unset hp_primary is no primary', () => {
    const placement = computeReplicaPlacement([
      {
        address: { primary: '10.0.0.1:1', secondaries: [] },
        hostPort: { primary: null, secondaries: ['rs-2:1'] },
      },
    ]);
    expect(placement.nodes.map((node) => [node.address, node.primaries, node.secondaries])).toEqual([
      ['rs-2:1', 0, 1],
    ]);
  });

  it('matches UNALIVE nodes by either name', () => {
    const a: [string, string] = ['10.0.0.1:1', 'rs-1:1'];
    const b: [string, string] = ['10.0.0.2:1', 'rs-2:1'];
    const placement = computeReplicaPlacement([v26(a, [b])], { unaliveNodes: ['10.0.0.2:1'] });
    expect(placement.nodes.map((node) => [node.address, node.alive])).toEqual([
      ['rs-1:1', true],
      ['rs-2:1', false],
    ]);
  });
});
