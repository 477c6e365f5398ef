/**
 * A text input bound to one value of a form (the connection and cluster profile forms), for
 * machine text such as hosts, paths and connect strings: no spell check, no autocomplete, and the
 * field's error under it marked as a form error.
 */
import { TextInput, type TextInputProps } from '@mantine/core';

/** How a field's error is marked: the forms and their tests find every field error by it. */
export const FORM_ERROR_PROPS = { 'data-testid': 'form-error' };

type FieldTextInputProps<V, K extends keyof V> = Omit<TextInputProps, 'value' | 'onChange' | 'error'> & {
  field: K;
  values: V;
  errors: Partial<Record<keyof V, string>>;
  change(field: K, value: V[K]): void;
  'data-testid'?: string;
};

export function FieldTextInput<V, K extends keyof V>({
  field,
  values,
  errors,
  change,
  ...props
}: FieldTextInputProps<V, K>) {
  return (
    <TextInput
      value={String(values[field] ?? '')}
      onChange={(event) => change(field, event.currentTarget.value as V[K])}
      error={errors[field]}
      errorProps={FORM_ERROR_PROPS}
      spellCheck={false}
      autoComplete="off"
      {...props}
    />
  );
}
