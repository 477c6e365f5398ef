/**
 * The SSH jump host part of the connection form: where to log in, how (key file, password, or the
 * running ssh-agent), and the host-key check. Secrets are typed here and sealed by the host; an
 * edit that leaves a secret field empty keeps the stored one.
 */
import { Checkbox, Group, PasswordInput, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import type { ConnectionProfile, SshAuthKind } from '../../../../shared/api/connections';
import { FieldNumberInput } from '../../components/FieldNumberInput';
import { FieldTextInput, FORM_ERROR_PROPS as errorProps } from '../../components/FieldTextInput';
import type { ConnectionFormErrors, ConnectionFormValues } from './connection-form-model';
import { HostKeyCheck } from './HostKeyCheck';

interface SshTunnelFieldsProps {
  values: ConnectionFormValues;
  errors: ConnectionFormErrors;
  profile?: ConnectionProfile;
  change<K extends keyof ConnectionFormValues>(field: K, value: ConnectionFormValues[K]): void;
}

export function SshTunnelFields({ values, errors, profile, change }: SshTunnelFieldsProps) {
  const stored = profile?.sshTunnel;
  const keepsSecret = stored?.hasSecret === true && stored.auth === values.sshAuth;
  const port = Number(values.sshPort);
  const bound = { values, errors, change };
  // The key's passphrase or the password: one sealed secret, kept on edit unless a new one is typed.
  const secretInput = (label: string, description: string) => (
    <PasswordInput
      label={label}
      description={keepsSecret ? 'Stored: kept unless you type a new one' : description}
      value={values.sshSecret}
      disabled={values.clearSshSecret}
      onChange={(event) => change('sshSecret', event.currentTarget.value)}
      error={errors.sshSecret}
      errorProps={errorProps}
      data-testid="ssh-secret"
      autoComplete="new-password"
    />
  );
  return (
    <Stack gap="xs">
      <Switch
        label="Connect through an SSH jump host"
        description="Like ssh -L: each ZooKeeper server is reached through the jump host"
        checked={values.sshEnabled}
        onChange={(event) => change('sshEnabled', event.currentTarget.checked)}
        data-testid="ssh-enabled"
      />
      {values.sshEnabled ? (
        <Stack gap="xs" pl="md" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
          <Group grow align="flex-start">
            <FieldTextInput
              field="sshHost"
              {...bound}
              label="SSH host"
              placeholder="bastion.example.com"
              required
              data-testid="ssh-host"
            />
            <FieldNumberInput
              field="sshPort"
              {...bound}
              label="Port"
              min={1}
              max={65535}
              maw={110}
              data-testid="ssh-port"
            />
            <FieldTextInput
              field="sshUser"
              {...bound}
              label="User"
              placeholder="ops"
              required
              data-testid="ssh-user"
            />
          </Group>
          <SegmentedControl
            size="xs"
            value={values.sshAuth}
            onChange={(value) => change('sshAuth', value as SshAuthKind)}
            data={[
              { value: 'key', label: 'Private key file' },
              { value: 'password', label: 'Password' },
              { value: 'agent', label: 'SSH agent' },
            ]}
            data-testid="ssh-auth"
          />
          {values.sshAuth === 'key' ? (
            <Group grow align="flex-start">
              <FieldTextInput
                field="sshKeyPath"
                {...bound}
                label="Private key file"
                description="Read on this machine when connecting; never copied into the app"
                placeholder="~/.ssh/id_ed25519"
                data-testid="ssh-key-path"
              />
              {secretInput('Key passphrase', 'Only for an encrypted key')}
            </Group>
          ) : values.sshAuth === 'password' ? (
            secretInput('SSH password', 'Sealed before it is stored')
          ) : (
            <Text size="xs" c="dimmed">
              Uses the keys of the ssh-agent Migration Desk was started with (SSH_AUTH_SOCK). Check with{' '}
              <code>ssh-add -l</code>.
            </Text>
          )}
          {keepsSecret && values.sshAuth === 'key' ? (
            <Checkbox
              size="xs"
              label="Clear the stored passphrase"
              checked={values.clearSshSecret}
              onChange={(event) => change('clearSshSecret', event.currentTarget.checked)}
            />
          ) : null}
          <HostKeyCheck
            host={values.sshHost.trim()}
            port={Number.isInteger(port) && port > 0 ? port : 22}
            disabled={errors.sshHost !== undefined}
          />
        </Stack>
      ) : null}
    </Stack>
  );
}
