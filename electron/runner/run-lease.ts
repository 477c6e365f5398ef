/**
 * One process drives a run at a time. A run records the process that drives it (pid and host); a
 * second process on the same machine finds that process alive and is refused, so the app and a CLI
 * never both execute one run's steps. A lease of a process that is gone (killed, crashed) is stale
 * and taken over: that is how a run resumes after `kill -9`.
 */
import { hostname } from 'node:os';
import type { RunLease } from './step-record';

export function ownLease(now: number): RunLease {
  return { pid: process.pid, host: hostname(), at: now };
}

export function isOwnLease(lease: RunLease | null | undefined): boolean {
  return lease?.pid === process.pid && lease.host === hostname();
}

/** Whether the lease belongs to another live process of this machine. */
export function heldElsewhere(lease: RunLease | null | undefined): boolean {
  if (!lease || isOwnLease(lease) || lease.host !== hostname()) return false;
  try {
    process.kill(lease.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it is alive all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
