/**
 * The cluster profile form's values and their mapping to the API input. Validation is the shared
 * profile schema itself, so the form says exactly what the host would say, on the field it is about.
 */
import { type PegasusProfileInput, pegasusProfileInputSchema } from '../../../../shared/api/pegasus-profile';
import type { PegasusProfileView, ProfileInput } from '../../stores/pegasus-profiles-store';

export type ShellKind = 'none' | 'run.sh' | 'pegasus_shell';

export interface ProfileFormValues {
  name: string;
  connectionId: string | null;
  clusterRoot: string;
  /** host:port entries separated by commas, spaces or line breaks. */
  metaServers: string;
  shellKind: ShellKind;
  pegasusDir: string;
  /** run.sh's -n cluster name (optional). */
  runShClusterName: string;
  shellBinary: string;
  shellConfig: string;
  /** pegasus_shell's cluster name in [pegasus.clusters]. */
  shellClusterName: string;
  adminCli: string;
}

export type ProfileFormErrors = Partial<Record<keyof ProfileFormValues | 'form', string>>;

/** What the Pegasus view knows when it opens the form: the connection, the root, the meta servers. */
export interface ProfilePrefill {
  connectionId?: string | null;
  clusterRoot?: string | null;
  metaServers?: readonly string[];
  name?: string;
}

export function splitMetaServers(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export function initialProfileValues(
  profile?: PegasusProfileView,
  prefill: ProfilePrefill = {},
): ProfileFormValues {
  const shell = profile?.tools.shell ?? null;
  return {
    name: profile?.name ?? prefill.name ?? '',
    connectionId: profile ? profile.connectionId : (prefill.connectionId ?? null),
    clusterRoot: profile?.clusterRoot ?? prefill.clusterRoot ?? '',
    metaServers: (profile?.metaServers ?? prefill.metaServers ?? []).join(','),
    shellKind: shell ? shell.kind : 'none',
    pegasusDir: shell?.kind === 'run.sh' ? shell.pegasusDir : '',
    runShClusterName: shell?.kind === 'run.sh' ? (shell.clusterName ?? '') : '',
    shellBinary: shell?.kind === 'pegasus_shell' ? shell.binary : '',
    shellConfig: shell?.kind === 'pegasus_shell' ? shell.config : '',
    shellClusterName: shell?.kind === 'pegasus_shell' ? shell.clusterName : '',
    adminCli: profile?.tools.adminCli ?? '',
  };
}

export function toProfileInput(values: ProfileFormValues): ProfileInput {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  let shell: PegasusProfileInput['tools']['shell'] = null;
  if (values.shellKind === 'run.sh') {
    shell = {
      kind: 'run.sh',
      pegasusDir: values.pegasusDir.trim(),
      ...(values.runShClusterName.trim() ? { clusterName: values.runShClusterName.trim() } : {}),
    };
  } else if (values.shellKind === 'pegasus_shell') {
    shell = {
      kind: 'pegasus_shell',
      binary: values.shellBinary.trim(),
      config: values.shellConfig.trim(),
      clusterName: values.shellClusterName.trim(),
    };
  }
  return {
    name: values.name.trim(),
    connectionId: values.connectionId,
    clusterRoot: orNull(values.clusterRoot),
    metaServers: splitMetaServers(values.metaServers),
    tools: { shell, adminCli: orNull(values.adminCli) },
  };
}

/** API field paths (as the host's fieldErrors and zod issues name them) -> form fields. */
export function formFieldOf(path: string, shellKind: ShellKind): keyof ProfileFormValues | 'form' {
  if (path === 'name') return 'name';
  if (path === 'connectionId') return 'connectionId';
  if (path === 'clusterRoot') return 'clusterRoot';
  if (path === 'metaServers' || path.startsWith('metaServers.')) return 'metaServers';
  if (path === 'tools.shell.pegasusDir') return 'pegasusDir';
  if (path === 'tools.shell.binary') return 'shellBinary';
  if (path === 'tools.shell.config') return 'shellConfig';
  if (path === 'tools.shell.clusterName')
    return shellKind === 'run.sh' ? 'runShClusterName' : 'shellClusterName';
  if (path === 'tools.adminCli') return 'adminCli';
  return 'form';
}

export function fieldErrorsToProfileForm(
  fieldErrors: Record<string, string>,
  shellKind: ShellKind,
): ProfileFormErrors {
  const errors: ProfileFormErrors = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const field = formFieldOf(path, shellKind);
    if (field === 'form') errors.form = errors.form ? `${errors.form}; ${message}` : message;
    else errors[field] ??= message;
  }
  return errors;
}

export function validateProfileForm(values: ProfileFormValues): ProfileFormErrors {
  const parsed = pegasusProfileInputSchema.safeParse(toProfileInput(values));
  if (parsed.success) return {};
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return fieldErrorsToProfileForm(fields, values.shellKind);
}
