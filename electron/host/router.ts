/** The one typed API of Migration Desk, served to the desktop window and the browser alike. */
import { auditRouter } from './routers/audit-router';
import { connectionsRouter } from './routers/connections-router';
import { nodesRouter } from './routers/nodes-router';
import { sessionsRouter } from './routers/sessions-router';
import { systemRouter } from './routers/system-router';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  connections: connectionsRouter,
  sessions: sessionsRouter,
  nodes: nodesRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
