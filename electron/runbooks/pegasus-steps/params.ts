/** Parameter schemas the Pegasus runbooks share beyond ../param-schemas.ts. */
import { z } from 'zod';
import { validateZkPath } from '../../../shared/zk-path';

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A cluster profile id (the wizard's picker; the CLI takes the id `mdesk` lists). */
export function profileParam() {
  return z.preprocess(
    (value) => (blank(value) ? undefined : typeof value === 'string' ? value.trim() : value),
    z.string({ error: 'choose a Pegasus cluster profile (its id)' }).min(1),
  );
}

/** An absolute ZooKeeper path, or '' for "the default the step computes" (e.g. the same path). */
export function optionalZkPathParam() {
  return z.preprocess(
    (value) =>
      blank(value) ? '' : typeof value === 'string' ? value.trim().replace(/(.)\/+$/, '$1') : value,
    z.string({ error: 'give an absolute ZooKeeper path, or leave it empty' }).superRefine((path, ctx) => {
      if (path === '') return;
      const problem = validateZkPath(path);
      if (problem) ctx.addIssue({ code: 'custom', message: `path ${problem}` });
    }),
  );
}

/** Free text that may be empty (a directory, a file name). */
export function optionalTextParam() {
  return z.preprocess(
    (value) => (blank(value) ? '' : typeof value === 'string' ? value.trim() : value),
    z.string({ error: 'give a text, or leave it empty' }),
  );
}
