/** Example paths per category of a report: the first few of each, enough to start an investigation. */
import { MAX_SAMPLES, type Samples } from './types';

export function addSample(samples: Samples, category: string, path: string, limit = MAX_SAMPLES): void {
  const list = samples[category] ?? [];
  // A resumed phase sees some items again: keep each example once.
  if (list.length < limit && !list.includes(path)) list.push(path);
  samples[category] = list;
}

/** The relative path as an operator reads it ('/' for the root of the copy). */
export function displayRel(rel: string): string {
  return rel === '' ? '/' : rel;
}
