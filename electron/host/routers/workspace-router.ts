/**
 * The operator's workspace across restarts (open connections, the selected one, expanded paths), kept
 * in the store's settings table so the desktop window and the browser host see the same.
 */
import {
  EMPTY_WORKSPACE,
  WORKSPACE_SETTING_KEY,
  type WorkspaceState,
  workspaceStateSchema,
} from '../../../shared/api/workspace-state';
import { snapshotIdOfWorkspace } from '../../../shared/api/snapshots';
import { guarded, publicProcedure, router } from '../trpc';

export const workspaceRouter = router({
  /**
   * The remembered workspace, without connections removed since (an empty one on first start).
   * Snapshot workspaces ('snapshot:<id>') pass through: the renderer looks each one up, so one
   * deleted since is dropped with a notice rather than vanishing without a word.
   */
  get: publicProcedure.query(({ ctx }) =>
    guarded((): WorkspaceState => {
      const stored = workspaceStateSchema.safeParse(ctx.services.store.settings.get(WORKSPACE_SETTING_KEY));
      if (!stored.success) return EMPTY_WORKSPACE;
      const connections = new Set(ctx.services.store.connections.list().map((profile) => profile.id));
      const kept = (id: string) => connections.has(id) || snapshotIdOfWorkspace(id) !== null;
      const state = stored.data;
      return {
        openConnectionIds: state.openConnectionIds.filter(kept),
        selectedConnectionId:
          state.selectedConnectionId && kept(state.selectedConnectionId) ? state.selectedConnectionId : null,
        explorers: Object.fromEntries(Object.entries(state.explorers).filter(([id]) => kept(id))),
      };
    }),
  ),

  save: publicProcedure.input(workspaceStateSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      ctx.services.store.settings.set(WORKSPACE_SETTING_KEY, input);
      return { saved: true };
    }),
  ),
});
