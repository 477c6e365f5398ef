/**
 * `<root>/apps/<app_id>/duplication/<dupid>/<pidx>`: the confirmed decree of one partition, written
 * as ASCII decimal text (`std::to_string(confirmed_decree)`, reference §1.7). Created lazily when
 * progress first changes, so a partition may have no node yet.
 */
import { type DecodeResult, decodeUtf8, guardDecode, PayloadError, success } from './decode-result';

export interface DuplicationProgress {
  confirmedDecree: number;
}

export function decodeDuplicationProgress(raw: Buffer): DecodeResult<DuplicationProgress> {
  return guardDecode(raw, () => {
    if (raw.length === 0) throw new PayloadError('progress data is empty, expected a decimal decree');
    const text = decodeUtf8(raw);
    if (!/^-?\d+$/.test(text)) {
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      throw new PayloadError(`progress should be a decimal decree, found ${JSON.stringify(shown)}`);
    }
    const confirmedDecree = Number(text);
    if (!Number.isSafeInteger(confirmedDecree)) throw new PayloadError(`decree ${text} is out of range`);
    return success({ confirmedDecree });
  });
}
