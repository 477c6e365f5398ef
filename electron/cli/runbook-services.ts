/**
 * The runner for a CLI process: RunServices from the CLI's own parts (the data dir's store, the copy
 * engine with the CLI's session factory, credentials from MDESK_ZK_AUTH and saved connections), and
 * connection parameters that may be a saved connection's id or name, or zk://host:port like
 * `mdesk zk copy` takes. Sessions opened for steps are the CLI's own and closed when it is done.
 */
import { RUNBOOKS } from '../runbooks';
import { createPegasusToolAccess } from '../pegasus/tools/create-tool-access';
import { abortableSleep } from '../runner/build-run-services';
import { resolveConnection } from '../runner/connection-refs';
import type { RunServices } from '../runner/run-services';
import { Runner } from '../runner/runner';
import type { ZkSessionLike } from '../zk/types';
import type { CliContext } from './context';

export interface CliRunner {
  runner: Runner;
  services: RunServices;
  /** Stops the runner (running steps stay resumable) and closes the sessions steps opened. */
  close(): Promise<void>;
}

export function openCliRunner(context: CliContext): CliRunner {
  const sessions = new Map<string, Promise<ZkSessionLike>>();
  const connection = (ref: string) => resolveConnection(context.store, ref, { allowConnectString: true });
  const services: RunServices = {
    store: context.store,
    connection,
    zk(ref) {
      let session = sessions.get(ref);
      if (!session) {
        session = context.factory.open(connection(ref).endpoint('/'), 'read');
        sessions.set(ref, session);
        // A failed attempt is not cached: the next step (or a retry) tries again.
        session.catch(() => sessions.delete(ref));
      }
      return session;
    },
    copyEngine: context.engineRuns(),
    pegasus: createPegasusToolAccess(context.store, { actor: context.actor }),
    actor: context.actor,
    now: Date.now,
    sleep: abortableSleep,
  };
  const runner = new Runner({ services, runbooks: RUNBOOKS });
  return {
    runner,
    services,
    async close() {
      await runner.shutdown();
      const opened = await Promise.allSettled([...sessions.values()]);
      await Promise.allSettled(
        opened.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.close()] : [])),
      );
      sessions.clear();
    },
  };
}
