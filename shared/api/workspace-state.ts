/**
 * What the app remembers across restarts: the open connections, the selected one, and per connection
 * the expanded paths and the open node. Kept by the host (settings table), so the desktop window and
 * the browser agree, and a renderer cache can never outlive a reinstall silently.
 */
import { z } from 'zod';
import { zkPathSchema } from './zk-node';

export const WORKSPACE_SETTING_KEY = 'workspace.v1';
export const MAX_REMEMBERED_EXPANDED = 2000;
export const MAX_OPEN_CONNECTIONS = 32;

export const explorerMemorySchema = z.object({
  expanded: z.array(zkPathSchema).max(MAX_REMEMBERED_EXPANDED),
  selectedPath: zkPathSchema.nullable(),
});

export const workspaceStateSchema = z.object({
  openConnectionIds: z.array(z.string().min(1)).max(MAX_OPEN_CONNECTIONS),
  selectedConnectionId: z.string().min(1).nullable(),
  explorers: z.record(z.string().min(1), explorerMemorySchema),
});

export type WorkspaceState = z.infer<typeof workspaceStateSchema>;
export type ExplorerMemory = z.infer<typeof explorerMemorySchema>;

export const EMPTY_WORKSPACE: WorkspaceState = {
  openConnectionIds: [],
  selectedConnectionId: null,
  explorers: {},
};
