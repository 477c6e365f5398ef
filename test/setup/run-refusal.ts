/**
 * The RunRefusal a runner call throws, for tests that check what it says (its message, hint, field);
 * any other error is rethrown, and a call that goes through fails the test.
 */
import { RunRefusal } from '../../electron/runner/runner-errors';

export function refusal(fn: () => unknown): RunRefusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
