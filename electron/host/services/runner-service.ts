/**
 * The runbook runner of a host: one Runner per HostServices (created on first use, like the copy
 * engine's runs), with RunServices made from the host's parts: sessions from the session registry,
 * saved connections only (the app never writes through an ad-hoc connect string), and the copy
 * engine the zkCopy API also drives, so their overlapping-target checks see each other's runs.
 * start-host.ts recovers interrupted runs at start and stops the runner before the sessions close.
 */
import { RUNBOOKS } from '../../runbooks';
import { createPegasusToolAccess } from '../../pegasus/tools/create-tool-access';
import { abortableSleep } from '../../runner/build-run-services';
import { resolveConnection } from '../../runner/connection-refs';
import type { RunServices } from '../../runner/run-services';
import { Runner } from '../../runner/runner';
import { engineRunsFor } from './engine-runs-service';
import type { HostServices } from './host-services';

const runners = new WeakMap<HostServices, Runner>();

export function hostRunServices(services: HostServices): RunServices {
  const connection = (ref: string) => resolveConnection(services.store, ref, { allowConnectString: false });
  return {
    store: services.store,
    connection,
    zk: (ref) => services.sessions.open(connection(ref).connectionId!),
    copyEngine: engineRunsFor(services),
    pegasus: createPegasusToolAccess(services.store, { actor: services.actor }),
    actor: services.actor,
    now: Date.now,
    sleep: abortableSleep,
  };
}

export function runnerFor(services: HostServices): Runner {
  let runner = runners.get(services);
  if (!runner) {
    runner = new Runner({ services: hostRunServices(services), runbooks: RUNBOOKS });
    runners.set(services, runner);
  }
  return runner;
}
