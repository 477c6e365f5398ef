/** Inputs of the Pegasus cluster views' API, validated at the host's boundary. */
import { z } from 'zod';
import { zkPathSchema } from './zk-node';

const connectionId = z.string().min(1);

export const pegasusDetectInputSchema = z.object({
  connectionId,
  /** Where to start looking (default '/'). */
  startPath: zkPathSchema.optional(),
});

export const pegasusRootInputSchema = z.object({ connectionId, root: zkPathSchema });

export const pegasusOverviewInputSchema = pegasusRootInputSchema.extend({
  /** Reload from ZooKeeper even when a loaded model is cached. */
  refresh: z.boolean().optional(),
});

export const pegasusTableInputSchema = pegasusRootInputSchema.extend({
  appId: z.number().int().nonnegative(),
});

export const pegasusMetaProxyInputSchema = z.object({ connectionId, metaProxyRoot: zkPathSchema });

/** host:port entries separated by commas, as the shell's `-m` and `[pegasus.clusters]` take them. */
export const META_SERVER_LIST = /^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/;

export const pegasusMetaHttpInputSchema = pegasusRootInputSchema.extend({
  metaServers: z
    .string()
    .trim()
    .min(1, 'enter at least one meta server, host:port')
    .regex(META_SERVER_LIST, 'meta servers must be host:port, separated by commas'),
});

export const pegasusExportInputSchema = pegasusRootInputSchema.extend({
  format: z.enum(['csv', 'json']),
});

export const pegasusPreferencesInputSchema = z.object({ connectionId });

/** What the views remember per connection, so an operator does not retype them. */
export interface PegasusPreferences {
  lastRoot: string | null;
  metaProxyRoot: string | null;
  /** Meta server list per cluster root. */
  metaServers: Record<string, string>;
}
