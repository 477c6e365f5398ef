/**
 * Every server of a connect string probed at once, then the warnings over all of them. Used by the
 * host's health API (directly or through an SSH tunnel's forwards).
 */
import type { EnsembleHealth } from '../../../shared/api/ensemble-health';
import { ensembleSummary, healthWarnings, refusedWords, WHITELIST_LINE } from './health-rules';
import { type ProbeTarget, probeServer } from './probe-server';

/** Per word; a loaded server still answers srvr within a second or two. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export async function probeEnsemble(
  targets: readonly ProbeTarget[],
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<Omit<EnsembleHealth, 'connectionId' | 'via'>> {
  const probedAt = Date.now();
  const started = performance.now();
  const servers = await Promise.all(targets.map((target) => probeServer(target, timeoutMs)));
  return {
    probedAt,
    tookMs: Math.round(performance.now() - started),
    servers,
    warnings: healthWarnings(servers),
    summary: ensembleSummary(servers),
    whitelistAdvice: servers.some((s) => s.reachable && refusedWords(s).length > 0) ? WHITELIST_LINE : null,
  };
}
