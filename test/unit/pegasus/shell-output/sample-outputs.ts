/** The verbatim sample outputs under test/fixtures/pegasus-shell/outputs/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParseResult } from '../../../../electron/pegasus/shell-output';

const OUTPUTS = join(fileURLToPath(new URL('.', import.meta.url)), '../../../fixtures/pegasus-shell/outputs');

export function sample(name: string): string {
  return readFileSync(join(OUTPUTS, `${name}.txt`), 'utf8');
}

/** The parsed value; fails the test with the parser's own message otherwise. */
export function value<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected a parse, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

export function failure<T>(result: ParseResult<T>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}
