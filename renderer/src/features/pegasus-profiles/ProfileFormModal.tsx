/**
 * Add / edit a cluster profile: its ZooKeeper connection and root, its meta servers, and the tools a
 * runbook may run (the Pegasus shell as run.sh or pegasus_shell + config, and admin-cli). "Check
 * tools" tries the values as typed, before saving. Messages come from the shared schema and land on
 * the field they are about.
 */
import { Alert, Divider, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import type { ApiError } from '../../api/api-error';
import { FieldTextInput, FORM_ERROR_PROPS as errorProps } from '../../components/FieldTextInput';
import { FormModalActions } from '../../components/FormModalActions';
import { useConnectionsStore } from '../../stores/connections-store';
import { type PegasusProfileView, usePegasusProfilesStore } from '../../stores/pegasus-profiles-store';
import {
  fieldErrorsToProfileForm,
  initialProfileValues,
  type ProfileFormErrors,
  type ProfileFormValues,
  type ProfilePrefill,
  type ShellKind,
  toProfileInput,
  validateProfileForm,
} from './profile-form-model';
import { ToolCheckView } from './ToolCheckView';

interface ProfileFormModalProps {
  /** The profile being edited; undefined to add one. */
  profile?: PegasusProfileView;
  prefill?: ProfilePrefill;
  onClose(): void;
}

const FORM_CHECK = 'form';

export function ProfileFormModal({ profile, prefill, onClose }: ProfileFormModalProps) {
  const [values, setValues] = useState<ProfileFormValues>(() => initialProfileValues(profile, prefill));
  const [errors, setErrors] = useState<ProfileFormErrors>({});
  const [saving, setSaving] = useState(false);
  const connections = useConnectionsStore((state) => state.connections);
  const { create, update, check, clearCheck } = usePegasusProfilesStore.getState();
  const checkState = usePegasusProfilesStore((state) => state.checks[FORM_CHECK]);

  useEffect(() => () => clearCheck(FORM_CHECK), [clearCheck]);

  const change = <K extends keyof ProfileFormValues>(field: K, value: ProfileFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors(({ [field]: _fixed, form: _form, ...rest }) => rest);
  };

  const validated = (): boolean => {
    const problems = validateProfileForm(values);
    setErrors(problems);
    return Object.keys(problems).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validated()) return;
    setSaving(true);
    try {
      const input = toProfileInput(values);
      if (profile) await update(profile.id, input);
      else await create(input);
      onClose();
    } catch (error) {
      const problem = error as ApiError;
      const mapped = fieldErrorsToProfileForm(problem.fieldErrors ?? {}, values.shellKind);
      setErrors(Object.keys(mapped).length > 0 ? mapped : { form: problem.message });
    } finally {
      setSaving(false);
    }
  };

  const runCheck = () => {
    if (!validated()) return;
    void check(FORM_CHECK, { input: toProfileInput(values) });
  };

  const text = (field: keyof ProfileFormValues, label: string, props: Record<string, unknown> = {}) => (
    <FieldTextInput
      field={field}
      values={values}
      errors={errors}
      change={change}
      label={label}
      data-testid={`profile-${field}`}
      {...props}
    />
  );

  return (
    <Modal
      opened
      onClose={onClose}
      title={profile ? `Edit ${profile.name}` : 'Add cluster profile'}
      size="lg"
      data-testid="profile-form"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {text('name', 'Name', { required: true, placeholder: 'prod-c3', 'data-autofocus': true })}
          <Select
            label="ZooKeeper connection"
            description="The saved connection that holds this cluster's metadata"
            placeholder="None"
            clearable
            data={connections.map((connection) => ({ value: connection.id, label: connection.name }))}
            value={values.connectionId}
            onChange={(value) => change('connectionId', value)}
            error={errors.connectionId}
            errorProps={errorProps}
            data-testid="profile-connectionId"
          />
          {text('clusterRoot', 'Cluster root', {
            description: 'The [meta_server] cluster_root, e.g. /pegasus/onebox',
            placeholder: '/pegasus/onebox',
          })}
          {text('metaServers', 'Meta servers', {
            description: 'host:port of each meta server, separated by commas (also their HTTP API)',
            placeholder: '10.0.0.1:34601,10.0.0.2:34601',
          })}

          <Divider label="Pegasus shell" labelPosition="left" />
          <SegmentedControl
            value={values.shellKind}
            onChange={(value) => change('shellKind', value as ShellKind)}
            data={[
              { value: 'none', label: 'None (manual steps)' },
              { value: 'run.sh', label: 'run.sh shell' },
              { value: 'pegasus_shell', label: 'pegasus_shell + config' },
            ]}
            data-testid="profile-shell-kind"
          />
          {values.shellKind === 'run.sh' ? (
            <>
              {text('pegasusDir', 'Pegasus directory', {
                description: 'Where run.sh is; started as ./run.sh shell --cluster <meta servers>',
                placeholder: '/opt/pegasus',
              })}
              {text('runShClusterName', 'Cluster name (optional)', {
                description: 'Used as run.sh shell -n <name> when no meta servers are given',
              })}
            </>
          ) : null}
          {values.shellKind === 'pegasus_shell' ? (
            <>
              {text('shellBinary', 'Shell binary', {
                description: 'Absolute path, or a command name found on PATH',
                placeholder: '/opt/pegasus/bin/pegasus_shell',
              })}
              {text('shellConfig', 'Shell config file', {
                description: 'Its [pegasus.clusters] section must list the cluster name below',
                placeholder: '/opt/pegasus/shell/config.ini',
              })}
              {text('shellClusterName', 'Cluster name', { placeholder: 'onebox' })}
            </>
          ) : null}

          <Divider label="admin-cli" labelPosition="left" />
          {text('adminCli', 'admin-cli path (optional)', {
            description: 'Started as admin-cli -m <meta servers>; it needs ip:port addresses',
            placeholder: '/opt/pegasus/admin-cli',
          })}

          {errors.form ? (
            <Alert color="red" variant="light" data-testid="form-error">
              {errors.form}
            </Alert>
          ) : null}
          {checkState?.running ? (
            <Text size="sm" c="dimmed" data-testid="profile-check-running">
              Checking: the shell runs cluster_info (up to 20 s), the meta servers are asked over HTTP…
            </Text>
          ) : (
            <ToolCheckView result={checkState?.result ?? null} error={checkState?.error ?? null} />
          )}

          <FormModalActions
            check={{
              label: 'Check tools',
              icon: <IconStethoscope size={16} />,
              running: checkState?.running,
              onClick: runCheck,
              testId: 'profile-form-check',
            }}
            editing={profile !== undefined}
            saving={saving}
            saveTestId="profile-save"
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
