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
export { createSettingsRepo } from './settings-repo';
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
  Store,
} from './types';
