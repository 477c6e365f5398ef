/**
 * The connection form's values and their mapping to the API input. Validation reuses the API's own
 * schema and connect-string parser, so the form says exactly what the host would say.
 */
import {
  type ConnectionInput,
  type ConnectionProfile,
  connectionInputSchema,
  type SshAuthKind,
} from '../../../../shared/api/connections';
import { connectStringError } from '../../../../shared/connect-string';

export interface ConnectionFormValues {
  name: string;
  connectString: string;
  chroot: string;
  /** Seconds in the form (operators think in seconds), milliseconds in the API. */
  sessionTimeoutSec: number | string;
  connectTimeoutSec: number | string;
  /** `user:password`; empty on edit means "keep the stored one". */
  digestAuth: string;
  clearDigestAuth: boolean;
  /** Reach the ensemble through an SSH jump host. */
  sshEnabled: boolean;
  sshHost: string;
  sshPort: number | string;
  sshUser: string;
  sshAuth: SshAuthKind;
  sshKeyPath: string;
  /** Password or key passphrase; empty on edit means "keep the stored one". */
  sshSecret: string;
  clearSshSecret: boolean;
  /** The edited profile has a jump host: switching it off must remove it. */
  sshStored: boolean;
}

export type ConnectionFormErrors = Partial<Record<keyof ConnectionFormValues | 'form', string>>;

export const TIMEOUT_LIMITS = {
  sessionTimeoutSec: { min: 2, max: 120, label: 'Session timeout' },
  connectTimeoutSec: { min: 1, max: 60, label: 'Connect timeout' },
} as const;

export function initialFormValues(profile?: ConnectionProfile): ConnectionFormValues {
  return {
    name: profile?.name ?? '',
    connectString: profile?.connectString ?? '',
    chroot: profile?.chroot ?? '',
    sessionTimeoutSec: (profile?.sessionTimeoutMs ?? 15_000) / 1000,
    connectTimeoutSec: (profile?.connectTimeoutMs ?? 8000) / 1000,
    digestAuth: '',
    clearDigestAuth: false,
    sshEnabled: profile?.sshTunnel != null,
    sshHost: profile?.sshTunnel?.host ?? '',
    sshPort: profile?.sshTunnel?.port ?? 22,
    sshUser: profile?.sshTunnel?.user ?? '',
    sshAuth: profile?.sshTunnel?.auth ?? 'key',
    sshKeyPath: profile?.sshTunnel?.keyPath ?? '~/.ssh/id_ed25519',
    sshSecret: '',
    clearSshSecret: false,
    sshStored: profile?.sshTunnel != null,
  };
}

function toMs(value: number | string): number {
  return Math.round(Number(value) * 1000);
}

export function toConnectionInput(values: ConnectionFormValues): ConnectionInput {
  const input: ConnectionInput = {
    name: values.name,
    connectString: values.connectString,
    sessionTimeoutMs: toMs(values.sessionTimeoutSec),
    connectTimeoutMs: toMs(values.connectTimeoutSec),
  };
  if (values.chroot.trim() !== '') input.chroot = values.chroot;
  if (values.clearDigestAuth) input.clearDigestAuth = true;
  else if (values.digestAuth !== '') input.digestAuth = values.digestAuth;
  if (!values.sshEnabled) {
    if (values.sshStored) input.sshTunnel = null;
    return input;
  }
  input.sshTunnel = {
    host: values.sshHost.trim(),
    port: values.sshPort === '' ? Number.NaN : Number(values.sshPort),
    user: values.sshUser.trim(),
    auth: values.sshAuth,
    ...(values.sshAuth === 'key' ? { keyPath: values.sshKeyPath.trim() } : {}),
    ...(values.sshAuth !== 'agent' && values.sshSecret !== '' ? { secret: values.sshSecret } : {}),
    ...(values.clearSshSecret ? { clearSecret: true } : {}),
  };
  return input;
}

/** The live message for the connect string field (the same text the API would answer). */
export function liveConnectStringError(values: ConnectionFormValues): string | undefined {
  return connectStringError(values.connectString, values.chroot);
}

/** API field paths -> form fields. */
const FIELD_OF: Record<string, keyof ConnectionFormValues> = {
  name: 'name',
  connectString: 'connectString',
  chroot: 'chroot',
  sessionTimeoutMs: 'sessionTimeoutSec',
  connectTimeoutMs: 'connectTimeoutSec',
  digestAuth: 'digestAuth',
  clearDigestAuth: 'clearDigestAuth',
  'sshTunnel.host': 'sshHost',
  'sshTunnel.port': 'sshPort',
  'sshTunnel.user': 'sshUser',
  'sshTunnel.auth': 'sshAuth',
  'sshTunnel.keyPath': 'sshKeyPath',
  'sshTunnel.secret': 'sshSecret',
};

/** Maps the host's `fieldErrors` onto the form; anything unknown becomes a form-level message. */
export function fieldErrorsToForm(fieldErrors: Record<string, string>): ConnectionFormErrors {
  const errors: ConnectionFormErrors = {};
  for (const [key, message] of Object.entries(fieldErrors)) {
    const field = FIELD_OF[key];
    if (field) errors[field] ??= message;
    else errors.form = errors.form ? `${errors.form}; ${message}` : message;
  }
  return errors;
}

/** `profile`: the one being edited, whose stored SSH password an empty field keeps. */
export function validateConnectionForm(
  values: ConnectionFormValues,
  profile?: ConnectionProfile,
): ConnectionFormErrors {
  const storedPassword =
    profile?.sshTunnel?.auth === 'password' && profile.sshTunnel.hasSecret && !values.clearSshSecret;
  const timeoutErrors: ConnectionFormErrors = {};
  for (const field of ['sessionTimeoutSec', 'connectTimeoutSec'] as const) {
    const limit = TIMEOUT_LIMITS[field];
    const seconds = Number(values[field]);
    if (values[field] === '' || !Number.isFinite(seconds))
      timeoutErrors[field] =
        `Enter the ${limit.label.toLowerCase()} in seconds, from ${limit.min} to ${limit.max}`;
    else if (seconds < limit.min || seconds > limit.max)
      timeoutErrors[field] = `Enter a ${limit.label.toLowerCase()} from ${limit.min} to ${limit.max} s`;
  }
  // Timeouts are checked above in seconds; the schema would word its limits in milliseconds.
  const parsed = connectionInputSchema.safeParse({
    ...toConnectionInput(values),
    sessionTimeoutMs: 15_000,
    connectTimeoutMs: 8000,
  });
  const schemaErrors = parsed.success ? {} : fieldErrorsToForm(issuesToFields(parsed.error.issues));
  const sshErrors: ConnectionFormErrors = {};
  if (values.sshEnabled && values.sshAuth === 'password' && values.sshSecret === '' && !storedPassword) {
    sshErrors.sshSecret = 'Enter the SSH password (password authentication needs one), or pick key or agent';
  }
  return { ...schemaErrors, ...timeoutErrors, ...sshErrors };
}

function issuesToFields(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}
