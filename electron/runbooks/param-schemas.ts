/**
 * zod schemas for runbook parameters that accept what the wizard sends (typed values) and what
 * `mdesk run --param k=v` sends (strings): 'true'/'no', '3', '/path/'. Messages say what to give,
 * and the runner prefixes them with the parameter's name.
 */
import { z } from 'zod';
import { MAX_RATE_RANGE } from '../../shared/api/zk-copy';
import { validateZkPath } from '../../shared/zk-path';

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** A saved connection (id; in the CLI also its name) or, in the CLI, zk://host:port[,host:port]. */
export function connectionParam() {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'choose a connection (a saved connection; in the CLI also zk://host:port)' })
      .trim()
      .min(1),
  );
}

/** An absolute ZooKeeper path; a trailing slash is dropped. */
export function zkPathParam() {
  return z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      return typeof blank === 'string' ? blank.trim().replace(/(.)\/+$/, '$1') : blank;
    },
    z.string({ error: 'give an absolute ZooKeeper path, e.g. /apps/service' }).superRefine((path, ctx) => {
      const problem = validateZkPath(path);
      if (problem) ctx.addIssue({ code: 'custom', message: `path ${problem}` });
    }),
  );
}

export function booleanParam(fallback: boolean) {
  return z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      if (blank === undefined) return fallback;
      if (typeof blank === 'string') {
        const word = blank.trim().toLowerCase();
        if (TRUE.has(word)) return true;
        if (FALSE.has(word)) return false;
      }
      return blank;
    },
    z.boolean({ error: 'give true or false' }),
  );
}

export function integerParam(min: number, max: number, fallback: number) {
  return z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      if (blank === undefined) return fallback;
      if (typeof blank === 'string' && /^\s*-?\d+\s*$/.test(blank)) return Number(blank);
      return blank;
    },
    z
      .number({ error: `give a whole number from ${min} to ${max}` })
      .int(`give a whole number from ${min} to ${max}`)
      .min(min, `give a whole number from ${min} to ${max}`)
      .max(max, `give a whole number from ${min} to ${max}`),
  );
}

/**
 * The copy engine's read-rate ceiling (source nodes per second, every phase); empty means none, so
 * the value is left out and the engine reads as fast as the servers answer.
 */
export function optionalRateParam() {
  const message = `give a whole number of nodes per second from ${MAX_RATE_RANGE.min} to ${MAX_RATE_RANGE.max.toLocaleString('en-US')}, or leave it empty for no limit`;
  return z.preprocess((value) => {
    const blank = value === null ? undefined : blankToUndefined(value);
    if (typeof blank === 'string' && /^\s*\d+\s*$/.test(blank)) return Number(blank);
    return blank;
  }, z
    .number({ error: message })
    .int(message)
    .min(MAX_RATE_RANGE.min, message)
    .max(MAX_RATE_RANGE.max, message)
    .optional());
}

export function selectParam<const T extends readonly [string, ...string[]]>(options: T, fallback: T[number]) {
  return z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      return blank === undefined ? fallback : typeof blank === 'string' ? blank.trim() : blank;
    },
    z.enum(options, { error: `choose one of ${options.join(', ')}` }),
  );
}
