/**
 * A Pegasus cluster profile: how Migration Desk reaches one cluster's metadata and tools. Paths and
 * addresses only; a profile never holds a secret (ZooKeeper credentials stay with the connection).
 *
 * The checks below only narrow what the types already allow: each message names what to type
 * instead, and the form, the API and the store all apply the same ones.
 */
import { z } from 'zod';
import { validateZkPath } from '../zk-path';

/** host:port as Pegasus prints it (an IPv6 host in brackets). */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

export function isMetaServerAddress(text: string): boolean {
  const match = HOST_PORT.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
}

/**
 * The host runs tools from its own working directory, which is not the operator's: a relative path
 * would resolve somewhere unexpected. A bare name (no slash) is looked up on PATH, like a shell does.
 */
const toolPath = (what: string, allowBareName: boolean) => {
  const named = what.replace(/^Shell/, 'shell');
  return z
    .string()
    .trim()
    .min(
      1,
      allowBareName
        ? `Enter the ${named} (a full path, or a command on PATH)`
        : `Enter the ${named} (a full path)`,
    )
    .refine((value) => !/[\0\r\n]/.test(value), `Enter the ${named} on one line`)
    .refine(
      (value) => value.startsWith('/') || (allowBareName && !value.includes('/')),
      allowBareName
        ? `${what} must be an absolute path (starting with /) or a command name found on PATH`
        : `${what} must be an absolute path (starting with /)`,
    );
};

const clusterNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter the cluster name, as in [pegasus.clusters] of the shell config, e.g. onebox')
  .regex(/^[^\s=[\];#]+$/, 'Cluster name must be one word, as in [pegasus.clusters] (no spaces, = [ ] ; #)');

export const pegasusShellToolSchema = z.discriminatedUnion('kind', [
  /** `<pegasusDir>/run.sh shell --cluster <metas>` (or `-n <clusterName>`), run with cwd = pegasusDir. */
  z.object({
    kind: z.literal('run.sh'),
    pegasusDir: toolPath('Pegasus directory', false),
    clusterName: clusterNameSchema.optional(),
  }),
  /** `<binary> <config> <clusterName>`: the cluster name is looked up in the config's [pegasus.clusters]. */
  z.object({
    kind: z.literal('pegasus_shell'),
    binary: toolPath('Shell binary', true),
    config: toolPath('Shell config file', false),
    clusterName: clusterNameSchema,
  }),
]);
export type PegasusShellTool = z.infer<typeof pegasusShellToolSchema>;

export const pegasusToolsSchema = z.object({
  shell: pegasusShellToolSchema.nullable().default(null),
  /** Path to the admin-cli binary; started as `admin-cli -m <metaServers>`. */
  adminCli: toolPath('admin-cli path', true).nullable().default(null),
});
export type PegasusTools = z.infer<typeof pegasusToolsSchema>;

export const pegasusProfileInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for this cluster profile, e.g. prod-pegasus')
    .max(100, 'Shorten the name to at most 100 characters'),
  /** The saved ZooKeeper connection that holds this cluster's metadata. */
  connectionId: z.string().nullable().default(null),
  /** The cluster root in ZooKeeper, e.g. /pegasus/onebox. */
  clusterRoot: z
    .string()
    .trim()
    .nullable()
    .default(null)
    .superRefine((value, ctx) => {
      const problem = value === null ? undefined : validateZkPath(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `Cluster root: ${problem}` });
    }),
  /** host:port of each meta server (also the meta HTTP API). */
  metaServers: z
    .array(
      z
        .string()
        .trim()
        .min(1, 'Enter each meta server as host:port, e.g. 10.0.0.1:34601')
        .refine(isMetaServerAddress, {
          error: (issue) =>
            `Meta server ${JSON.stringify(issue.input)} must be host:port, e.g. 10.0.0.1:34601`,
        }),
    )
    .max(32, 'List at most 32 meta servers')
    .refine(
      (list) => new Set(list.map((item) => item.toLowerCase())).size === list.length,
      'List each meta server once: remove the repeated one',
    )
    .default([]),
  tools: pegasusToolsSchema.default({ shell: null, adminCli: null }),
});
export type PegasusProfileInput = z.infer<typeof pegasusProfileInputSchema>;

export interface PegasusProfile extends PegasusProfileInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}
