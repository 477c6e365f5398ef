/** `--max-rate N` for the commands that walk a live source (zk copy, zk diff): a pace for its reads. */
import { MAX_RATE_RANGE } from '../../shared/api/zk-copy';
import type { CopyParams } from '../engines/zk-copy/types';
import { type FlagSpec, type ParsedArgs, stringFlag, UsageError } from './command';

export const MAX_RATE_FLAG: FlagSpec = {
  name: 'max-rate',
  kind: 'string',
  value: 'N',
  help: 'read at most N source nodes per second in every phase (spares a busy production ensemble)',
};

/** Sets params.maxNodesPerSecond from --max-rate; a value outside the engine's range is a usage error. */
export function applyMaxRate(params: CopyParams, args: ParsedArgs): void {
  const text = stringFlag(args, 'max-rate');
  if (text === undefined) return;
  const rate = Number(text);
  if (!Number.isInteger(rate) || rate < MAX_RATE_RANGE.min || rate > MAX_RATE_RANGE.max) {
    throw new UsageError(
      `--max-rate takes a whole number of nodes per second from ${MAX_RATE_RANGE.min} to ${MAX_RATE_RANGE.max}, got '${text}'`,
    );
  }
  params.maxNodesPerSecond = rate;
}
