/**
 * Why the runner aborted a step's signal. Executors read it from `signal.reason` (stopKindOf) when
 * the difference matters: a copy pauses at its checkpoint for 'pause' and 'shutdown', and is
 * cancelled for 'abort'.
 */
export type StopKind = 'pause' | 'abort' | 'shutdown';

export class RunStop extends Error {
  override name = 'RunStop';
  constructor(readonly kind: StopKind) {
    super(
      kind === 'pause'
        ? 'The run was paused'
        : kind === 'abort'
          ? 'The run was aborted'
          : 'Migration Desk is stopping',
    );
  }
}

/** 'pause', 'abort' or 'shutdown' when the signal was aborted by the runner, else undefined. */
export function stopKindOf(signal: AbortSignal): StopKind | undefined {
  return signal.aborted && signal.reason instanceof RunStop ? signal.reason.kind : undefined;
}
