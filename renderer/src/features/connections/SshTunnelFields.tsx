/**
 * The SSH jump host part of the connection form: where to log in, how (key file, password, or the
 * running ssh-agent), and the host-key check. Secrets are typed here and sealed by the host; an
 * edit that leaves a secret field empty keeps the stored one.
 */
import {
  Checkbox,
  Group,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import type { ConnectionProfile, SshAuthKind } from '../../../../shared/api/connections';
import type { ConnectionFormErrors, ConnectionFormValues } from './connection-form-model';
import { HostKeyCheck } from './HostKeyCheck';

const errorProps = { 'data-testid': 'form-error' };

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
            <TextInput
              label="SSH host"
              placeholder="bastion.example.com"
              required
              value={values.sshHost}
              onChange={(event) => change('sshHost', event.currentTarget.value)}
              error={errors.sshHost}
              errorProps={errorProps}
              data-testid="ssh-host"
              spellCheck={false}
              autoComplete="off"
            />
            <NumberInput
              label="Port"
              min={1}
              max={65535}
              maw={110}
              value={values.sshPort}
              onChange={(value) => change('sshPort', value)}
              error={errors.sshPort}
              errorProps={errorProps}
              data-testid="ssh-port"
            />
            <TextInput
              label="User"
              placeholder="ops"
              required
              value={values.sshUser}
              onChange={(event) => change('sshUser', event.currentTarget.value)}
              error={errors.sshUser}
              errorProps={errorProps}
              data-testid="ssh-user"
              spellCheck={false}
              autoComplete="off"
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
              <TextInput
                label="Private key file"
                description="Read on this machine when connecting; never copied into the app"
                placeholder="~/.ssh/id_ed25519"
                value={values.sshKeyPath}
                onChange={(event) => change('sshKeyPath', event.currentTarget.value)}
                error={errors.sshKeyPath}
                errorProps={errorProps}
                data-testid="ssh-key-path"
                spellCheck={false}
                autoComplete="off"
              />
              <PasswordInput
                label="Key passphrase"
                description={
                  keepsSecret ? 'Stored: kept unless you type a new one' : 'Only for an encrypted key'
                }
                value={values.sshSecret}
                disabled={values.clearSshSecret}
                onChange={(event) => change('sshSecret', event.currentTarget.value)}
                error={errors.sshSecret}
                errorProps={errorProps}
                data-testid="ssh-secret"
                autoComplete="new-password"
              />
            </Group>
          ) : values.sshAuth === 'password' ? (
            <PasswordInput
              label="SSH password"
              description={
                keepsSecret ? 'Stored: kept unless you type a new one' : 'Sealed before it is stored'
              }
              value={values.sshSecret}
              disabled={values.clearSshSecret}
              onChange={(event) => change('sshSecret', event.currentTarget.value)}
              error={errors.sshSecret}
              errorProps={errorProps}
              data-testid="ssh-secret"
              autoComplete="new-password"
            />
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
