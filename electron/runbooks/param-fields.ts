/**
 * Builders for the wizard's descriptions of plain runbook parameters (RunbookParam), so each
 * runbook's list reads as its labels and help texts. An optional field carries its default: the
 * wizard shows it, and the CLI takes it when the parameter is left out.
 */
import type { RunbookParam } from '../runner/runbook-definition';

/** Free text; optional ones default to '' ("the step works it out"). */
export function textField(name: string, label: string, help: string, required = false): RunbookParam {
  return { name, label, help, input: 'text', required, ...(required ? {} : { default: '' }) };
}

/** An optional whole number with its default. */
export function numberField(name: string, label: string, help: string, fallback: number): RunbookParam {
  return { name, label, help, input: 'number', required: false, default: fallback };
}

/**
 * The copy engine's read-rate ceiling (`maxNodesPerSecond`, schema: optionalRateParam): optional, no
 * default, since empty means no limit.
 */
export function maxRateField(): RunbookParam {
  return {
    name: 'maxNodesPerSecond',
    label: 'Max read rate (nodes/s)',
    help: 'Spares a busy production ensemble: plan, copy and verify read no faster than this many source nodes per second. Empty: no limit.',
    input: 'number',
    required: false,
  };
}

/** An optional switch, off unless given. */
export function flagField(name: string, label: string, help: string): RunbookParam {
  return { name, label, help, input: 'boolean', required: false, default: false };
}
