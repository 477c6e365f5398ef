/**
 * A number input bound to one value of a form (timeouts, ports): the value as typed (a number, or
 * the text while it is not one yet), and the field's error under it marked as a form error.
 */
import { NumberInput, type NumberInputProps } from '@mantine/core';
import { FORM_ERROR_PROPS } from './FieldTextInput';

type FieldNumberInputProps<V, K extends keyof V> = Omit<NumberInputProps, 'value' | 'onChange' | 'error'> & {
  field: K;
  values: V;
  errors: Partial<Record<keyof V, string>>;
  change(field: K, value: V[K]): void;
  'data-testid'?: string;
};

export function FieldNumberInput<V, K extends keyof V>({
  field,
  values,
  errors,
  change,
  ...props
}: FieldNumberInputProps<V, K>) {
  return (
    <NumberInput
      value={values[field] as number | string}
      onChange={(value) => change(field, value as V[K])}
      error={errors[field]}
      errorProps={FORM_ERROR_PROPS}
      {...props}
    />
  );
}
