/**
 * A control that needs a typed value before it fires: a skip's reason, the run id typed back before
 * an abort, a gate's exact text. The button stays disabled until the value is acceptable, and once
 * the operator has typed something it does not accept, the field says what is missing. An optional
 * second field carries a note (or reason) that is not checked. The host checks the value again: its
 * refusal for this field shows under it, any other refusal above the buttons.
 */
import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { RunView } from '../../../../shared/api/run-views';
import type { ApiError } from '../../api/api-error';
import { type ControlInput, useRunbooksStore } from '../../stores/runbooks-store';

export interface TypedValue {
  label: ReactNode;
  /** 'reason': free text over lines; 'exact': one line to type exactly (monospace, no spell check). */
  kind: 'reason' | 'exact';
  /** Whether the value lets the control fire. */
  accepts(value: string): boolean;
  /** Shown under the field once something was typed that it does not accept. */
  hint?: string;
  testId?: string;
}

export interface TypedControlProps {
  value: TypedValue;
  /** An optional, unchecked second field. */
  note?: { label: string; testId?: string };
  submit: { label: string; color?: string; testId: string };
  busy: boolean;
  /** Fires nothing whatever is typed (the host does not allow the action now). */
  disabled?: boolean;
  /** The host's refusal of the typed value. */
  fieldError?: string;
  /** The value and the note as typed; callers trim them as their action expects. */
  onSubmit(value: string, note: string): void;
  /** Shows a Cancel button beside the submit (in a dialog). */
  onCancel?(): void;
  /** Shown between the fields and the buttons (a refusal). */
  children?: ReactNode;
}

export function TypedControl({
  value: spec,
  note: noteSpec,
  submit,
  busy,
  disabled = false,
  fieldError,
  onSubmit,
  onCancel,
  children,
}: TypedControlProps) {
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const accepted = spec.accepts(value);
  const error = fieldError ?? (value.length > 0 && !accepted ? spec.hint : undefined);
  return (
    <>
      {spec.kind === 'reason' ? (
        <Textarea
          label={spec.label}
          required
          autosize
          minRows={2}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          error={error}
          data-testid={spec.testId}
          // In a modal (skip, abort) the cursor starts here, where the answer is typed, not on the ×.
          data-autofocus
        />
      ) : (
        <TextInput
          label={spec.label}
          ff="monospace"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          error={error}
          data-testid={spec.testId}
          spellCheck={false}
          data-autofocus
        />
      )}
      {noteSpec ? (
        <TextInput
          label={noteSpec.label}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          data-testid={noteSpec.testId}
        />
      ) : null}
      {children}
      <Group justify={onCancel ? 'flex-end' : undefined}>
        {onCancel ? (
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button
          color={submit.color}
          disabled={disabled || !accepted}
          loading={busy}
          onClick={() => onSubmit(value, note)}
          data-testid={submit.testId}
        >
          {submit.label}
        </Button>
      </Group>
    </>
  );
}

/** A run control in a dialog: the explanation, the typed value, and the control sent when it fires. */
export function TypedControlModal({
  run,
  title,
  testId,
  explanation,
  errorField,
  toInput,
  onClose,
  ...control
}: Omit<TypedControlProps, 'busy' | 'fieldError' | 'onSubmit' | 'onCancel' | 'children'> & {
  run: RunView;
  title: string;
  testId: string;
  explanation: ReactNode;
  /** The control's input field whose refusal shows under the typed value. */
  errorField?: string;
  toInput(value: string, note: string): ControlInput;
  onClose(): void;
}) {
  const send = useRunbooksStore((state) => state.control);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fieldError = errorField ? error?.fieldErrors[errorField] : undefined;
  const fire = async (value: string, note: string) => {
    setBusy(true);
    setError(null);
    try {
      await send(run.id, toInput(value, note));
      onClose();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack gap="sm" data-testid={testId}>
        <Text size="sm">{explanation}</Text>
        <TypedControl
          {...control}
          busy={busy}
          fieldError={fieldError}
          onSubmit={(value, note) => void fire(value, note)}
          onCancel={onClose}
        >
          {error && !fieldError ? (
            <Alert color="red" variant="light">
              {error.message}
            </Alert>
          ) : null}
        </TypedControl>
      </Stack>
    </Modal>
  );
}
