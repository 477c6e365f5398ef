/**
 * Reads through a ZkReader with a bounded number of requests in flight, sorting failures into the
 * ones a Pegasus view lives with and the ones that end the load.
 *
 * - NO_NODE: the node vanished between listing and reading (an ephemeral lock node, a duplication
 *   being removed). The caller decides whether that deserves a warning.
 * - NO_AUTH: an ACL hides one subtree; the rest of the cluster is still worth showing.
 * - anything else (connection loss, session expiry, closed session) ends the load: every further
 *   read would fail the same way, and a model with silent holes would mislead the operator.
 */
import { InFlightWindow } from '../zk/in-flight-window';
import { readerErrorCode, readerErrorMessage, type ZkReader, type ZkReaderStat } from './zk-reader';

export type ReadOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'missing' }
  | { kind: 'denied'; message: string };

export interface NodeRead {
  data: Buffer;
  stat: ZkReaderStat;
}

export interface ReadCounts {
  getData: number;
  getChildren: number;
}

export class BoundedReads {
  readonly counts: ReadCounts = { getData: 0, getChildren: 0 };
  private readonly window: InFlightWindow;
  private fatal: unknown;

  constructor(
    private readonly reader: ZkReader,
    readonly concurrency: number,
    private readonly signal?: AbortSignal,
  ) {
    this.window = new InFlightWindow(concurrency);
  }

  get peakInFlight(): number {
    return this.window.stats().peakInFlight;
  }

  getData(path: string): Promise<ReadOutcome<NodeRead>> {
    return this.run(path, async () => {
      this.counts.getData += 1;
      const { data, stat } = await this.reader.getData(path);
      return { data, stat };
    });
  }

  /** Lists children only when the stat says there are any: a leaf costs no second round trip. */
  childrenOf(path: string, stat: ZkReaderStat): Promise<ReadOutcome<string[]>> {
    if (stat.numChildren <= 0) return Promise.resolve({ kind: 'ok', value: [] });
    return this.getChildren(path);
  }

  getChildren(path: string): Promise<ReadOutcome<string[]>> {
    return this.run(path, async () => {
      this.counts.getChildren += 1;
      const { children } = await this.reader.getChildren(path);
      return children.slice().sort();
    });
  }

  private async run<T>(path: string, read: () => Promise<T>): Promise<ReadOutcome<T>> {
    return this.window.run(async () => {
      // A failed load stops issuing: queued reads would only repeat the same failure.
      if (this.fatal !== undefined) throw this.fatal;
      if (this.signal?.aborted) throw abortError(this.signal);
      try {
        return { kind: 'ok', value: await read() } as const;
      } catch (error) {
        const code = readerErrorCode(error);
        if (code === 'NO_NODE') return { kind: 'missing' } as const;
        if (code === 'NO_AUTH') return { kind: 'denied', message: readerErrorMessage(error) } as const;
        if (this.fatal === undefined) this.fatal = annotate(error, path);
        throw this.fatal;
      }
    });
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('The read was cancelled');
}

/** Keeps the original error (and its code) but makes sure the message names the path. */
function annotate(error: unknown, path: string): unknown {
  if (error instanceof Error && !error.message.includes(path)) {
    error.message = `${error.message} (while reading ${path})`;
  }
  return error;
}
