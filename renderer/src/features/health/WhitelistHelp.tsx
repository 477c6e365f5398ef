/**
 * Why some figures are missing: ZooKeeper 3.5+ answers only the four-letter words listed in
 * 4lw.commands.whitelist (3.5's default is srvr alone). Says which line to add and where.
 */
import { Alert, Code, CopyButton, Group, List, Text, Button } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { EnsembleHealthData } from '../../stores/health-store';

export function WhitelistHelp({ health }: { health: EnsembleHealthData }) {
  if (!health.whitelistAdvice) return null;
  const refusing = health.servers.filter((s) =>
    Object.values(s.words).some((outcome) => outcome === 'refused'),
  );
  return (
    <Alert
      color="gray"
      variant="light"
      title="Some four-letter words are not whitelisted"
      data-testid="health-whitelist-help"
    >
      <Text size="sm">
        {refusing.map((s) => s.address).join(', ')} answered "… is not executed because it is not in the
        whitelist" for{' '}
        {[
          ...new Set(
            refusing.flatMap((s) =>
              Object.entries(s.words)
                .filter(([, o]) => o === 'refused')
                .map(([w]) => w),
            ),
          ),
        ].join(', ')}
        . Since ZooKeeper 3.5 a server answers only the words listed in <Code>4lw.commands.whitelist</Code>{' '}
        (3.5's default is <Code>srvr</Code> alone), so node and watch counts, data size and client lists stay
        empty here.
      </Text>
      <List size="sm" mt={6} spacing={2}>
        <List.Item>
          Add this line to <Code>zoo.cfg</Code> on each of those servers (or to the JVM flags as{' '}
          <Code>-Dzookeeper.4lw.commands.whitelist=…</Code>):
        </List.Item>
      </List>
      <Group gap="xs" mt={6}>
        <Code block data-testid="health-whitelist-line">
          {health.whitelistAdvice}
        </Code>
        <CopyButton value={health.whitelistAdvice}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="default"
              leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        Then restart the servers one at a time, followers first, leader last, so the ensemble keeps its
        quorum. These words only read: none of them changes the server.
      </Text>
    </Alert>
  );
}
