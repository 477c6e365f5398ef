/**
 * Secrets never reach run_output, the live stream or a report (design section 8). Steps should not
 * print credentials, but tool output is not under our control: a shell echoing `addauth digest
 * user:pass`, a config dump with `password = ...`. Lines are masked on the way in, before storage.
 */

const RULES: readonly [RegExp, string][] = [
  // digest:user:password (MDESK_ZK_AUTH, zkCli's addauth) and `addauth digest user:password`.
  [/\b(digest[:\s]+[^:\s]+:)\S+/gi, '$1***'],
  // user:password@host in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, '$1***@'],
  // password=..., secret: ..., token ... = ... (config lines, flags).
  [
    /\b((?:password|passwd|pwd|secret|token|credentials?|api[_-]?key|access[_-]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
    '$1***',
  ],
  // --password VALUE, --token=VALUE
  [/(--(?:password|passwd|secret|token|api-key)(?:=|\s+))\S+/gi, '$1***'],
];

export function redactSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Parameter names that must never be printed, whatever their value (a second line of defence). */
const SECRET_KEY = /^(digest_?auth|password|passwd|secret|credentials?|auth|token)$/i;

/** A copy of a JSON value with credential-named keys masked, for reports. */
export function maskSecretKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretKeys);
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? redactSecrets(value) : value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, child]) => [
      key,
      SECRET_KEY.test(key) && child !== null && child !== '' ? '***' : maskSecretKeys(child),
    ]),
  );
}
