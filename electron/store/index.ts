export {
  ConnectionNotFoundError,
  createConnectionsRepo,
  DuplicateConnectionNameError,
} from './connections-repo';
export { createEventsRepo, DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT } from './events-repo';
export type { Migration } from './migrations';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, StoreVersionError } from './migrations';
export type { OpenStoreOptions } from './open-store';
export { openStore, StoreOpenError } from './open-store';
export { createSettingsRepo } from './settings-repo';
export type {
  AppendEvent,
  ConnectionChanges,
  ConnectionsRepo,
  EventsRepo,
  NewConnection,
  SecretBox,
  SettingsRepo,
  Store,
} from './types';
