/** The one typed API of Migration Desk, served to the desktop window and the browser alike. */
import { auditRouter } from './routers/audit-router';
import { connectionsRouter } from './routers/connections-router';
import { editRouter } from './routers/edit-router';
import { healthRouter } from './routers/health-router';
import { jobsRouter } from './routers/jobs-router';
import { nodesRouter } from './routers/nodes-router';
import { pegasusRouter } from './routers/pegasus-router';
import { pegasusProfilesRouter } from './routers/pegasus-profiles-router';
import { runbooksRouter, runsRouter } from './routers/runs-router';
import { searchRouter } from './routers/search-router';
import { sessionsRouter } from './routers/sessions-router';
import { snapshotsRouter } from './routers/snapshots-router';
import { sshRouter } from './routers/ssh-router';
import { systemRouter } from './routers/system-router';
import { transferRouter } from './routers/transfer-router';
import { watchRouter } from './routers/watch-router';
import { workspaceRouter } from './routers/workspace-router';
import { zkCopyRouter } from './routers/zk-copy-router';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  connections: connectionsRouter,
  sessions: sessionsRouter,
  nodes: nodesRouter,
  audit: auditRouter,
  pegasus: pegasusRouter,
  pegasusProfiles: pegasusProfilesRouter,
  watch: watchRouter,
  search: searchRouter,
  edit: editRouter,
  workspace: workspaceRouter,
  zkCopy: zkCopyRouter,
  snapshots: snapshotsRouter,
  transfer: transferRouter,
  jobs: jobsRouter,
  ssh: sshRouter,
  health: healthRouter,
  runbooks: runbooksRouter,
  runs: runsRouter,
});

export type AppRouter = typeof appRouter;
