export {
  ConnectionNotFoundError,
  createConnectionsRepo,
  DuplicateConnectionNameError,
} from './connections-repo';
export { createCheckpointsRepo } from './checkpoints-repo';
export {
  assertNoSecrets,
  createEngineRunsRepo,
  DuplicateRunIdError,
  EngineRunNotFoundError,
  SecretInParamsError,
} from './engine-runs-repo';
export { createEventsRepo, DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT } from './events-repo';
export type { Migration } from './migrations';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, StoreVersionError } from './migrations';
export type { OpenStoreOptions } from './open-store';
export { openStore, StoreOpenError } from './open-store';
export type { PegasusProfileDraft, PegasusProfilesRepo } from './pegasus-profiles-repo';
export {
  createPegasusProfilesRepo,
  DuplicatePegasusProfileNameError,
  PegasusProfileNotFoundError,
} from './pegasus-profiles-repo';
export type {
  NewRun,
  OutputStream,
  RunChanges,
  RunOutputRecord,
  RunRecord,
  RunStepChanges,
  RunStepRecord,
  RunsQuery,
  RunsRepo,
} from './runs-repo';
export { createRunsRepo, RunNotFoundError, RunSecretError } from './runs-repo';
export { createSettingsRepo } from './settings-repo';
export { createSshKnownHostsRepo } from './ssh-known-hosts-repo';
export { createSnapshotsRepo, SnapshotNotFoundError } from './snapshots-repo';
export type {
  AppendEvent,
  Checkpoint,
  CheckpointsRepo,
  ConnectionChanges,
  EngineRun,
  EngineRunChanges,
  EngineRunsRepo,
  ConnectionsRepo,
  EventsRepo,
  JsonObject,
  NewConnection,
  NewEngineRun,
  SecretBox,
  SettingsRepo,
  SnapshotNodeRecord,
  SnapshotRecord,
  SnapshotsRepo,
  Store,
} from './types';
