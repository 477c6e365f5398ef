/**
 * What to copy where: a subtree of this connection (or of another live connection, or of a saved
 * snapshot) into a path of any saved connection, the mode, ACLs, filters. Plan shows the dry run
 * first; Start copies (then verifies); Compare only reads.
 */
import {
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowsDiff, IconListSearch, IconLock, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { MAX_RATE_RANGE } from '../../../../shared/api/zk-copy';
import { ReadOnlyBadge } from '../../components/ReadOnlyBadge';
import { useConnectionsStore } from '../../stores/connections-store';
import { ALL_SNAPSHOTS, useSnapshotsStore } from '../../stores/snapshots-store';
import {
  type CopyFormValues,
  type CopyMode,
  type CopySource,
  copyableSnapshots,
  hasProblems,
  MAX_RATE_HELP,
  MODE_HELP,
  sourceSnapshotId,
  validate,
} from './copy-form-model';
import { SourcePicker } from './SourcePicker';

interface CopyFormProps {
  connection: ConnectionProfile;
  values: CopyFormValues;
  onChange(values: CopyFormValues): void;
  busy: 'plan' | 'start' | 'compare' | null;
  error: string | null;
  onPlan(): void;
  onStart(): void;
  onCompare(): void;
}

export function CopyForm({
  connection,
  values,
  onChange,
  busy,
  error,
  onPlan,
  onStart,
  onCompare,
}: CopyFormProps) {
  const connections = useConnectionsStore((state) => state.connections);
  const [touched, setTouched] = useState(false);
  const snapshots = useSnapshotsStore((state) => state.lists[ALL_SNAPSHOTS]?.items);
  const target = connections.find((candidate) => candidate.id === values.targetConnectionId);
  const snapshotId = sourceSnapshotId(values);
  const snapshot = snapshotId
    ? copyableSnapshots(snapshots ?? []).find((item) => item.id === snapshotId)
    : undefined;
  const source: CopySource | undefined = snapshotId
    ? snapshot && { snapshot }
    : values.sourceId
      ? connections.find((candidate) => candidate.id === values.sourceId)
      : connection;
  const problems = validate(values, source, target);
  const invalid = hasProblems(problems);
  const shown = touched ? problems : {};
  const set = (patch: Partial<CopyFormValues>) => onChange({ ...values, ...patch });
  const attempt = (action: () => void) => () => {
    setTouched(true);
    if (!invalid) action();
  };
  const targetReadOnly = target?.readOnly === true;

  return (
    <Stack gap="sm" data-testid="copy-form">
      <Title order={6}>Copy a subtree</Title>
      <SourcePicker
        connection={connection}
        value={values.sourceId ?? null}
        error={shown.sourceId}
        onChange={(id, picked) => {
          const sourceId = id === connection.id ? null : id;
          if (!picked) {
            set({ sourceId });
            return;
          }
          // A snapshot holds its root and below: start there (and the target with it, if it followed).
          set({
            sourceId,
            sourcePath: picked.root,
            targetPath: values.targetPath === values.sourcePath ? picked.root : values.targetPath,
          });
        }}
      />
      <TextInput
        label={
          snapshot
            ? `Path in the snapshot (${snapshot.root} or below)`
            : `Source path on ${source && !('snapshot' in source) ? source.name : connection.name}`
        }
        description="Its whole subtree is copied (ephemeral nodes are skipped and listed)"
        value={values.sourcePath}
        onChange={(event) => set({ sourcePath: event.currentTarget.value })}
        error={shown.sourcePath}
        data-testid="copy-source-path"
      />
      <Select
        label="Target connection"
        placeholder="Choose a saved connection"
        data={connections.map((candidate) => ({
          value: candidate.id,
          label: `${candidate.name}${candidate.readOnly ? ' (read-only)' : ''}`,
        }))}
        value={values.targetConnectionId}
        onChange={(id) => set({ targetConnectionId: id })}
        error={shown.targetConnectionId}
        searchable
        nothingFoundMessage="No saved connection by that name"
        data-testid="copy-target-connection"
        comboboxProps={{ withinPortal: true }}
        renderOption={({ option }) => {
          const profile = connections.find((candidate) => candidate.id === option.value);
          return (
            <Group
              gap="xs"
              justify="space-between"
              w="100%"
              data-testid={`copy-target-option-${profile?.name}`}
            >
              <Text size="sm">{profile?.name}</Text>
              {profile ? <ReadOnlyBadge readOnly={profile.readOnly} /> : null}
            </Group>
          );
        }}
      />
      <TextInput
        label="Target path"
        description="Created when missing (with its parents)"
        value={values.targetPath}
        onChange={(event) => set({ targetPath: event.currentTarget.value })}
        error={shown.targetPath}
        data-testid="copy-target-path"
      />
      {targetReadOnly ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconLock size={16} />}
          data-testid="copy-target-read-only"
        >
          '{target?.name}' is read-only: you can plan and compare, but copying into it needs writes. Switch it
          to read-write from its menu in the connection list (⋯ → <b>Switch to read-write…</b>, typing its
          name to confirm), then start the copy.
        </Alert>
      ) : null}
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Mode
        </Text>
        <SegmentedControl
          value={values.mode}
          onChange={(mode) => set({ mode: mode as CopyMode })}
          data={[
            { value: 'create-only', label: 'Create only' },
            { value: 'overwrite', label: 'Overwrite' },
            { value: 'mirror', label: 'Mirror' },
          ]}
          color={values.mode === 'mirror' ? 'red' : undefined}
          data-testid="copy-mode"
        />
        <Text size="xs" c={values.mode === 'mirror' ? 'red' : 'dimmed'} data-testid="copy-mode-help">
          {MODE_HELP[values.mode]}
        </Text>
      </Stack>
      <Switch
        checked={values.copyAcl}
        onChange={(event) => set({ copyAcl: event.currentTarget.checked })}
        label="Copy ACLs"
        description={
          values.copyAcl
            ? "Each node gets its source ACL (a locking ACL is applied once the node's subtree is written)"
            : "Nodes get the target's default ACL (world:anyone); ACLs are not compared"
        }
        data-testid="copy-acl"
      />
      <TagsInput
        label="Include (globs)"
        description="Only these subtrees, relative to the source path, e.g. /apps/** (Enter adds one)"
        value={values.include}
        onChange={(include) => set({ include })}
        error={shown.include}
        clearable
        data-testid="copy-include"
      />
      <TagsInput
        label="Exclude (globs)"
        description="Left out with their subtrees, e.g. /apps/*/tmp"
        value={values.exclude}
        onChange={(exclude) => set({ exclude })}
        error={shown.exclude}
        clearable
        data-testid="copy-exclude"
      />
      <Group grow align="flex-start">
        <Switch
          checked={values.verify}
          onChange={(event) => set({ verify: event.currentTarget.checked })}
          label="Verify after copying"
          data-testid="copy-verify"
        />
        <NumberInput
          label="Reconcile passes"
          description="Fix what verify finds, then verify again"
          min={0}
          max={10}
          value={values.reconcilePasses}
          onChange={(value) => set({ reconcilePasses: typeof value === 'number' ? value : 0 })}
          disabled={!values.verify}
          data-testid="copy-reconcile-passes"
        />
      </Group>
      <NumberInput
        label="Max read rate (nodes/s)"
        description={MAX_RATE_HELP}
        placeholder="No limit"
        min={MAX_RATE_RANGE.min}
        max={MAX_RATE_RANGE.max}
        allowDecimal={false}
        allowNegative={false}
        // Shown as typed: an out-of-range value gets the range in its error rather than a silent clamp.
        clampBehavior="none"
        thousandSeparator=","
        value={values.maxRate ?? ''}
        onChange={(maxRate) => set({ maxRate })}
        error={shown.maxRate}
        data-testid="copy-max-rate"
      />
      {error ? (
        <Alert color="red" variant="light" data-testid="copy-form-error" style={{ whiteSpace: 'pre-wrap' }}>
          {error}
        </Alert>
      ) : null}
      <Group gap="xs">
        <Button
          variant="default"
          leftSection={<IconListSearch size={14} />}
          onClick={attempt(onPlan)}
          loading={busy === 'plan'}
          disabled={busy !== null && busy !== 'plan'}
          data-testid="copy-plan"
        >
          Plan (dry run)
        </Button>
        <Button
          leftSection={<IconPlayerPlay size={14} />}
          color={values.mode === 'mirror' ? 'red' : undefined}
          onClick={attempt(onStart)}
          loading={busy === 'start'}
          disabled={targetReadOnly || (busy !== null && busy !== 'start')}
          data-testid="copy-start"
        >
          {values.mode === 'mirror' ? 'Start mirror…' : 'Start copy'}
        </Button>
        <Button
          variant="subtle"
          leftSection={<IconArrowsDiff size={14} />}
          onClick={attempt(onCompare)}
          loading={busy === 'compare'}
          disabled={busy !== null && busy !== 'compare'}
          data-testid="copy-compare"
        >
          Compare only
        </Button>
      </Group>
      {touched && invalid ? (
        <Text size="xs" c="red" data-testid="copy-form-invalid">
          Fix the fields marked above first.
        </Text>
      ) : (
        <Text size="xs" c="dimmed">
          Plan reads both sides and writes nothing. Copies run in the host: leaving this view (or closing the
          app) does not lose them; an interrupted copy resumes from its checkpoint.{' '}
          {values.sourcePath === '/' ? (
            <>
              <Code>/zookeeper</Code> (ZooKeeper's own) is never copied.
            </>
          ) : null}
        </Text>
      )}
    </Stack>
  );
}
