/**
 * A Pegasus cluster profile: how Migration Desk reaches one cluster's metadata and tools. Paths and
 * addresses only; a profile never holds a secret (ZooKeeper credentials stay with the connection).
 */
import { z } from 'zod';

export const pegasusShellToolSchema = z.discriminatedUnion('kind', [
  /** `<pegasusDir>/run.sh shell --cluster <metas>` (or `-n <clusterName>`), run with cwd = pegasusDir. */
  z.object({ kind: z.literal('run.sh'), pegasusDir: z.string().min(1), clusterName: z.string().optional() }),
  /** `<binary> <config> <clusterName>`: the cluster name is looked up in the config's [pegasus.clusters]. */
  z.object({
    kind: z.literal('pegasus_shell'),
    binary: z.string().min(1),
    config: z.string().min(1),
    clusterName: z.string().min(1),
  }),
]);
export type PegasusShellTool = z.infer<typeof pegasusShellToolSchema>;

export const pegasusToolsSchema = z.object({
  shell: pegasusShellToolSchema.nullable().default(null),
  /** Path to the admin-cli binary; started as `admin-cli -m <metaServers>`. */
  adminCli: z.string().min(1).nullable().default(null),
});
export type PegasusTools = z.infer<typeof pegasusToolsSchema>;

export const pegasusProfileInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** The saved ZooKeeper connection that holds this cluster's metadata. */
  connectionId: z.string().nullable().default(null),
  /** The cluster root in ZooKeeper, e.g. /pegasus/onebox. */
  clusterRoot: z.string().nullable().default(null),
  /** host:port of each meta server (also the meta HTTP API). */
  metaServers: z.array(z.string().min(1)).default([]),
  tools: pegasusToolsSchema.default({ shell: null, adminCli: null }),
});
export type PegasusProfileInput = z.infer<typeof pegasusProfileInputSchema>;

export interface PegasusProfile extends PegasusProfileInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}
