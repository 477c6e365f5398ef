/**
 * The host's jobs for export, import and snapshots: the same lifecycle as the recursive writes
 * (TreeJobs: started on the next tick, progress replayed to a subscriber that reconnects, the
 * outcome kept for a while), with the richer progress events of shared/api/background-job. One per
 * HostServices, created on first use, so the composition root needs no change.
 */
import type { BackgroundJobKind, JobEvent, JobStarted } from '../../../shared/api/background-job';
import type { HostServices } from './host-services';
import { type TreeJobContext, TreeJobs } from './tree-jobs';

export type BackgroundJobs = TreeJobs<JobEvent, BackgroundJobKind>;
export type BackgroundJobContext = TreeJobContext<JobEvent>;

const jobsByHost = new WeakMap<HostServices, BackgroundJobs>();

export function backgroundJobsFor(services: HostServices): BackgroundJobs {
  let jobs = jobsByHost.get(services);
  if (!jobs) {
    jobs = new TreeJobs<JobEvent, BackgroundJobKind>((message) => ({
      type: 'failed',
      message,
      elapsedMs: 0,
    }));
    jobsByHost.set(services, jobs);
  }
  return jobs;
}

/**
 * Starts a job whose work resolves with its result; a throw becomes the 'failed' event with the
 * error's message (which says what to do), and elapsed times are filled in.
 */
export function startBackgroundJob<R>(
  services: HostServices,
  kind: BackgroundJobKind,
  scope: { connectionId: string; path: string },
  work: (context: BackgroundJobContext) => Promise<R>,
): JobStarted {
  const started = Date.now();
  const { jobId } = backgroundJobsFor(services).start(
    kind,
    scope.connectionId,
    scope.path,
    async (context) => {
      try {
        const result = await work(context);
        return { type: 'done', elapsedMs: Date.now() - started, result } satisfies JobEvent<R>;
      } catch (error) {
        return {
          type: 'failed',
          elapsedMs: Date.now() - started,
          message: error instanceof Error ? error.message : String(error),
        } satisfies JobEvent<R>;
      }
    },
  );
  return { jobId, kind };
}
