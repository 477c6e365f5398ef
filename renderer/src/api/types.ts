/** API shapes as the renderer sees them, inferred from the router so they never drift. */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/host/router';

export type ApiOutputs = inferRouterOutputs<AppRouter>;
export type ApiInputs = inferRouterInputs<AppRouter>;

export type ConnectionTestResult = ApiOutputs['connections']['test'];
export type SystemInfo = ApiOutputs['system']['info'];

export type { ConnectionInput, ConnectionProfile } from '../../../shared/api/connections';
export type {
  SessionState,
  SessionStateEvent,
  ZkAclView,
  ZkChildrenView,
  ZkNodeView,
  ZkStatView,
} from '../../../shared/api/zk-node';
