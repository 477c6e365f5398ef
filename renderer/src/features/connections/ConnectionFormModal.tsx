/**
 * Add / edit a connection. The connect string is checked as the operator types with the same parser
 * the API uses; on save the host's own field errors land on the same fields.
 */
import {
  Alert,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/api-error';
import type { ConnectionProfile } from '../../api/types';
import { FieldNumberInput } from '../../components/FieldNumberInput';
import { FieldTextInput, FORM_ERROR_PROPS as errorProps } from '../../components/FieldTextInput';
import { FormModalActions } from '../../components/FormModalActions';
import { ReadOnlyBadge } from '../../components/ReadOnlyBadge';
import { useConnectionsStore } from '../../stores/connections-store';
import { useExplorerStore } from '../../stores/explorer-store';
import {
  type ConnectionFormErrors,
  type ConnectionFormValues,
  fieldErrorsToForm,
  initialFormValues,
  liveConnectStringError,
  TIMEOUT_LIMITS,
  toConnectionInput,
  validateConnectionForm,
} from './connection-form-model';
import { ConnectionTestResultView } from './ConnectionTestResultView';
import { SshTunnelFields } from './SshTunnelFields';
import { useConnectionTest } from './use-connection-test';

interface ConnectionFormModalProps {
  /** The profile being edited; undefined to add a new one. */
  profile?: ConnectionProfile;
  onClose(): void;
}

export function ConnectionFormModal({ profile, onClose }: ConnectionFormModalProps) {
  const editing = profile !== undefined;
  const [values, setValues] = useState<ConnectionFormValues>(() => initialFormValues(profile));
  const [touched, setTouched] = useState<Partial<Record<keyof ConnectionFormValues, boolean>>>({});
  const [submitErrors, setSubmitErrors] = useState<ConnectionFormErrors>({});
  const [saving, setSaving] = useState(false);
  const test = useConnectionTest();
  const create = useConnectionsStore((state) => state.create);
  const update = useConnectionsStore((state) => state.update);
  const select = useConnectionsStore((state) => state.select);
  const resetExplorer = useExplorerStore((state) => state.reset);

  const change = <K extends keyof ConnectionFormValues>(field: K, value: ConnectionFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setTouched((current) => ({ ...current, [field]: true }));
    setSubmitErrors(({ [field]: _fixed, form: _form, ...rest }) => rest);
    test.clear();
  };

  // Live: the connect string as soon as it was typed in; everything else after a save attempt.
  const liveConnectString =
    touched.connectString || touched.chroot ? liveConnectStringError(values) : undefined;
  const errors: ConnectionFormErrors = {
    ...(test.error ? fieldErrorsToForm(test.error.fieldErrors) : {}),
    ...submitErrors,
  };
  if (liveConnectString) errors.connectString = liveConnectString;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validateConnectionForm(values, profile);
    setTouched({ connectString: true });
    if (Object.keys(problems).length > 0) {
      setSubmitErrors(problems);
      return;
    }
    setSaving(true);
    try {
      const input = toConnectionInput(values);
      if (profile) {
        await update(profile.id, input);
        // The host closed the old session; the tree may now point at another ensemble.
        resetExplorer(profile.id);
      } else {
        const created = await create(input);
        select(created.id);
      }
      onClose();
    } catch (error) {
      const problem = error as ApiError;
      const mapped = fieldErrorsToForm(problem.fieldErrors ?? {});
      setSubmitErrors(Object.keys(mapped).length > 0 ? mapped : { form: problem.message });
    } finally {
      setSaving(false);
    }
  };

  const runTest = () => {
    const problems = validateConnectionForm(values, profile);
    setTouched({ connectString: true });
    if (Object.keys(problems).length > 0) {
      setSubmitErrors(problems);
      return;
    }
    void test.run(toConnectionInput(values), profile?.id);
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={editing ? `Edit ${profile.name}` : 'Add connection'}
      size="lg"
      data-testid="connection-form"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Name"
            placeholder="prod-pegasus-zk"
            required
            data-autofocus
            value={values.name}
            onChange={(event) => change('name', event.currentTarget.value)}
            error={errors.name}
            errorProps={errorProps}
            data-testid="connection-name"
          />
          <FieldTextInput
            field="connectString"
            values={values}
            errors={errors}
            change={change}
            label="Connect string"
            description="host:port[,host:port...][/chroot], e.g. 127.0.0.1:2181"
            placeholder="127.0.0.1:2181"
            required
            data-testid="connection-connect-string"
          />
          <FieldTextInput
            field="chroot"
            values={values}
            errors={errors}
            change={change}
            label="Chroot"
            description="Optional: a path every read is relative to, e.g. /pegasus"
            placeholder="/"
            data-testid="connection-chroot"
          />
          <SimpleGrid cols={2}>
            <FieldNumberInput
              field="sessionTimeoutSec"
              values={values}
              errors={errors}
              change={change}
              label="Session timeout (s)"
              min={TIMEOUT_LIMITS.sessionTimeoutSec.min}
              max={TIMEOUT_LIMITS.sessionTimeoutSec.max}
              decimalScale={1}
              data-testid="connection-session-timeout"
            />
            <FieldNumberInput
              field="connectTimeoutSec"
              values={values}
              errors={errors}
              change={change}
              label="Connect timeout (s)"
              description="Give up on an unreachable ensemble after this long"
              min={TIMEOUT_LIMITS.connectTimeoutSec.min}
              max={TIMEOUT_LIMITS.connectTimeoutSec.max}
              decimalScale={1}
              data-testid="connection-connect-timeout"
            />
          </SimpleGrid>
          <PasswordInput
            label="Digest credential"
            description={
              editing && profile.hasDigestAuth
                ? 'A credential is stored: it is kept unless you type a new one.'
                : 'Optional: user:password for ZooKeeper digest authentication'
            }
            placeholder={
              editing && profile.hasDigestAuth
                ? '(stored credential kept unless you type a new one)'
                : 'user:password'
            }
            value={values.digestAuth}
            disabled={values.clearDigestAuth}
            onChange={(event) => change('digestAuth', event.currentTarget.value)}
            error={errors.digestAuth}
            errorProps={errorProps}
            data-testid="connection-digest"
            autoComplete="new-password"
          />
          {editing && profile.hasDigestAuth ? (
            <Checkbox
              label="Clear the stored credential"
              checked={values.clearDigestAuth}
              onChange={(event) => change('clearDigestAuth', event.currentTarget.checked)}
              data-testid="connection-clear-digest"
            />
          ) : null}
          <SshTunnelFields values={values} errors={errors} profile={profile} change={change} />
          <Group gap="xs">
            <ReadOnlyBadge readOnly={profile?.readOnly ?? true} />
            <Text size="xs" c="dimmed">
              {editing
                ? 'Browsing never writes to the ensemble.'
                : 'New connections are read-only: browsing never writes to the ensemble.'}
            </Text>
          </Group>

          {errors.form ? (
            <Alert color="red" variant="light" data-testid="form-error">
              {errors.form}
            </Alert>
          ) : null}
          {test.result ? <ConnectionTestResultView result={test.result} /> : null}
          {test.error ? (
            <Alert
              color="red"
              variant="light"
              data-testid="connection-test-result"
              data-ok="false"
              title="The test did not run"
            >
              {test.error.message}
            </Alert>
          ) : null}

          <FormModalActions
            check={{
              label: 'Test',
              icon: <IconPlugConnected size={16} />,
              running: test.running,
              onClick: runTest,
              testId: 'connection-test',
            }}
            editing={editing}
            saving={saving}
            saveTestId="connection-save"
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
