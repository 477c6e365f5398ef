/**
 * First-use confirmation of a jump host's SSH key: shows the fingerprint the server presents (read
 * without logging in) next to what was trusted before, and stores it only when the operator says it
 * matches what the server's admin sees (`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`). A changed
 * key needs the reason confirmed before it replaces the old one.
 */
import { Alert, Button, Checkbox, Code, Group, Stack, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldQuestion, IconShieldX } from '@tabler/icons-react';
import { useState } from 'react';
import { type ApiError, toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import type { ApiOutputs } from '../../api/types';
import { formatDateTime } from '../../lib/date-time';

type Probe = ApiOutputs['ssh']['probeHostKey'];

export function HostKeyCheck({ host, port, disabled }: { host: string; port: number; disabled?: boolean }) {
  const [probe, setProbe] = useState<Probe | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmedChange, setConfirmedChange] = useState(false);

  const check = async () => {
    setBusy(true);
    setError(null);
    setConfirmedChange(false);
    try {
      setProbe(await api.ssh.probeHostKey.mutate({ host, port }));
    } catch (caught) {
      setProbe(null);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const trust = async () => {
    if (!probe) return;
    setBusy(true);
    try {
      await api.ssh.trustHostKey.mutate({
        host: probe.host,
        port: probe.port,
        keyType: probe.keyType,
        fingerprint: probe.fingerprint,
      });
      setProbe(await api.ssh.probeHostKey.mutate({ host, port }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const stale = probe !== null && (probe.host !== host || probe.port !== port);
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconShieldQuestion size={14} />}
          onClick={() => void check()}
          loading={busy && !probe}
          disabled={disabled || host.trim() === ''}
          data-testid="ssh-check-host-key"
        >
          Check host key
        </Button>
        <Text size="xs" c="dimmed">
          Reads the key the jump host presents, without logging in.
        </Text>
      </Group>
      {error ? (
        <Alert color="red" variant="light" py={6} data-testid="ssh-host-key-error">
          {error.message}
        </Alert>
      ) : null}
      {probe && !stale && probe.verdict === 'trusted' ? (
        <Alert
          color="teal"
          variant="light"
          py={6}
          icon={<IconShieldCheck size={18} />}
          data-testid="ssh-host-key"
          data-verdict="trusted"
        >
          <Text size="sm">
            Trusted: {probe.keyType} <Code>{probe.fingerprint}</Code>
            {probe.trusted
              ? ` (confirmed by ${probe.trusted.trustedBy} on ${formatDateTime(probe.trusted.trustedAt)})`
              : ''}
          </Text>
        </Alert>
      ) : null}
      {probe && !stale && probe.verdict === 'unknown' ? (
        <Alert
          color="yellow"
          variant="light"
          py={6}
          icon={<IconShieldQuestion size={18} />}
          data-testid="ssh-host-key"
          data-verdict="unknown"
        >
          <Text size="sm">
            First connection to {probe.host}:{probe.port}. It presents a {probe.keyType} key with fingerprint
          </Text>
          <Code block my={4} data-testid="ssh-host-key-fingerprint">
            {probe.fingerprint}
          </Code>
          <Text size="sm">
            Compare it with the server's own (<Code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Code> on
            the jump host, or ask its admin). Trust it only if they match: the app sends your credentials to
            this server.
          </Text>
          <Button
            size="xs"
            mt={6}
            onClick={() => void trust()}
            loading={busy}
            data-testid="ssh-trust-host-key"
          >
            The fingerprints match: trust this key
          </Button>
        </Alert>
      ) : null}
      {probe && !stale && probe.verdict === 'mismatch' ? (
        <Alert
          color="red"
          variant="light"
          py={6}
          icon={<IconShieldX size={18} />}
          data-testid="ssh-host-key"
          data-verdict="mismatch"
        >
          <Text size="sm" fw={700}>
            The host key changed.
          </Text>
          <Text size="sm">
            Trusted: {probe.trusted?.keyType} <Code>{probe.trusted?.fingerprint}</Code>
            <br />
            Now: {probe.keyType} <Code>{probe.fingerprint}</Code>
          </Text>
          <Text size="sm" mt={4}>
            Someone may be intercepting the connection, or the server was reinstalled. Connections through it
            are refused until you decide. Ask the server's admin whether its host key changed.
          </Text>
          <Checkbox
            mt={6}
            label="The admin confirmed the new fingerprint"
            checked={confirmedChange}
            onChange={(event) => setConfirmedChange(event.currentTarget.checked)}
            data-testid="ssh-confirm-key-change"
          />
          <Button
            size="xs"
            color="red"
            mt={6}
            disabled={!confirmedChange}
            onClick={() => void trust()}
            loading={busy}
            data-testid="ssh-trust-host-key"
          >
            Replace the trusted key
          </Button>
        </Alert>
      ) : null}
    </Stack>
  );
}
