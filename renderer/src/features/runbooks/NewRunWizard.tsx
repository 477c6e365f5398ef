/**
 * A new run of one runbook: its parameters as a form (checked here for what the form can tell,
 * then by the host, whose message lands under the field it concerns), then the prechecks run on
 * their own so the operator sees every problem before anything is changed. A blocking precheck
 * says what to fix; a warning must be acknowledged before Start. The run can also stop there: a
 * precheck-only run stays in the history as the record of the check.
 */
import { Alert, Anchor, Badge, Button, Group, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconChecklist, IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { RunbookInfo } from '../../../../shared/api/run-views';
import type { ApiError } from '../../api/api-error';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusProfilesStore } from '../../stores/pegasus-profiles-store';
import { useRunbooksStore, useRunDetail } from '../../stores/runbooks-store';
import { ParamField } from './ParamField';
import { localParamError, type ParamValue, paramErrors, RUN_STATE_COLORS, shortRunId } from './run-format';
import { StepDetail, StepStateBadge } from './StepDetail';

function defaultsOf(runbook: RunbookInfo): Record<string, ParamValue> {
  return Object.fromEntries(runbook.params.map((param) => [param.name, param.default]));
}

/** The prechecks of the run just created, live, with what each found and the way on. */
function PrecheckResults({ runId, onOpenRun }: { runId: string; onOpenRun(): void }) {
  const detail = useRunDetail(runId);
  const follow = useRunbooksStore((state) => state.follow);
  const control = useRunbooksStore((state) => state.control);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => follow(runId), [runId, follow]);
  const run = detail.run;
  if (!run) return <LoadingState label="Running the prechecks…" />;

  const prechecks = run.steps.filter((step) => step.kind === 'precheck');
  const blocked = prechecks.filter((step) => step.state === 'failed');
  const running = prechecks.some((step) => step.state === 'running' || step.state === 'pending');
  const current = run.currentStep !== null ? run.steps[run.currentStep] : undefined;
  const awaitingHere = current?.kind === 'precheck' && current.state === 'waiting-for-operator';
  const ready = run.allowedActions.includes('resume') && !awaitingHere && blocked.length === 0;

  const act = async (action: 'resume' | 'retry') => {
    setBusy(action);
    setError(null);
    try {
      await control(run.id, { action });
      if (action === 'resume') onOpenRun();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="precheck-results" data-state={run.state}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={5}>
            Prechecks{' '}
            <Text span size="xs" c="dimmed">
              run {shortRunId(run.id)}
            </Text>
          </Title>
          <Badge color={RUN_STATE_COLORS[run.state]}>{run.state}</Badge>
        </Group>
        {prechecks.map((step) => (
          <Group
            key={step.index}
            justify="space-between"
            align="flex-start"
            wrap="nowrap"
            data-testid="precheck-row"
            data-step={step.id}
            data-state={step.state}
          >
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text size="sm" fw={500}>
                  {step.title}
                </Text>
                {step.severity ? (
                  <Badge size="xs" variant="outline" color={step.severity === 'block' ? 'red' : 'yellow'}>
                    {step.severity}
                  </Badge>
                ) : null}
              </Group>
              {step.outcome ? (
                <Text size="xs" c={step.outcome.status === 'failed' ? 'red' : 'dimmed'}>
                  {step.outcome.summary}
                </Text>
              ) : null}
              {step.outcome?.hint && step.state === 'failed' ? (
                <Text size="xs" fw={500} data-testid="precheck-hint">
                  What to do: {step.outcome.hint}
                </Text>
              ) : null}
            </Stack>
            <StepStateBadge step={step} />
          </Group>
        ))}
        {blocked.length > 0 ? (
          <Alert
            color="red"
            variant="light"
            data-testid="precheck-blocked"
            title="Blocked: the run cannot start"
          >
            {blocked.length === 1 ? 'A precheck failed' : `${blocked.length} prechecks failed`}. Fix what it
            says above, then check again; or change the parameters and run the prechecks anew.
          </Alert>
        ) : null}
        {awaitingHere && current ? <StepDetail run={run} step={current} now={Date.now()} /> : null}
        {error ? (
          <Alert color="red" variant="light">
            {error.message}
          </Alert>
        ) : null}
        <Group>
          {run.allowedActions.includes('retry') ? (
            <Button
              variant="light"
              loading={busy === 'retry'}
              onClick={() => void act('retry')}
              data-testid="precheck-retry"
            >
              Check again
            </Button>
          ) : null}
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            disabled={!ready}
            loading={busy === 'resume'}
            onClick={() => void act('resume')}
            data-testid="wizard-start"
          >
            Start the run
          </Button>
          <Anchor size="sm" onClick={onOpenRun} data-testid="wizard-open-run">
            Open the run view
          </Anchor>
          {running ? (
            <Text size="sm" c="dimmed">
              Checking…
            </Text>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

export function NewRunWizard({ runbookId }: { runbookId: string }) {
  const catalogue = useRunbooksStore((state) => state.catalogue);
  const loadCatalogue = useRunbooksStore((state) => state.loadCatalogue);
  const create = useRunbooksStore((state) => state.create);
  const control = useRunbooksStore((state) => state.control);
  const navigate = useRunbooksStore((state) => state.navigate);
  const loadProfiles = usePegasusProfilesStore((state) => state.load);
  const runbook = catalogue.runbooks.find((candidate) => candidate.id === runbookId);
  const [values, setValues] = useState<Record<string, ParamValue>>(() =>
    runbook ? defaultsOf(runbook) : {},
  );
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'prechecks' | 'start' | null>(null);
  const [checkRunId, setCheckRunId] = useState<string | null>(null);

  useEffect(() => {
    if (catalogue.status === 'idle') void loadCatalogue();
    if (runbook?.params.some((param) => param.input === 'pegasus-profile')) void loadProfiles();
  }, [catalogue.status, loadCatalogue, loadProfiles, runbook]);
  useEffect(() => {
    if (runbook) setValues((current) => (Object.keys(current).length > 0 ? current : defaultsOf(runbook)));
  }, [runbook]);

  const localErrors = useMemo(() => {
    const errors: Record<string, string> = {};
    for (const param of runbook?.params ?? []) {
      const message = localParamError(param, values[param.name]);
      if (message) errors[param.name] = message;
    }
    return errors;
  }, [runbook, values]);

  if (!runbook) {
    if (catalogue.status === 'error')
      return (
        <ErrorState
          title="Could not read the runbooks"
          message={catalogue.error?.message}
          onRetry={() => void loadCatalogue()}
        />
      );
    if (catalogue.status === 'ready')
      return <ErrorState title={`No runbook '${runbookId}'`} message="It is not in this host's catalogue." />;
    return <LoadingState label="Loading the runbook…" />;
  }

  const submit = async (mode: 'prechecks' | 'start') => {
    setTouched(true);
    if (Object.keys(localErrors).length > 0) return;
    setBusy(mode);
    setError(null);
    setServerErrors({});
    const params = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
    try {
      const run = await create(runbook.id, params, mode === 'prechecks');
      if (mode === 'prechecks') setCheckRunId(run.id);
      else {
        await control(run.id, { action: 'start' });
        navigate({ page: 'run', runId: run.id });
      }
    } catch (failure) {
      const apiError = failure as ApiError;
      setServerErrors(paramErrors(apiError.fieldErrors));
      setError(apiError);
    } finally {
      setBusy(null);
    }
  };

  const fieldError = (name: string) => serverErrors[name] ?? (touched ? localErrors[name] : undefined);
  const locked = checkRunId !== null;
  return (
    <ScrollArea h="100%">
      <Stack p="md" gap="md" maw={900} data-testid="new-run-wizard" data-runbook={runbook.id}>
        <Group gap="xs">
          <Anchor size="sm" onClick={() => navigate({ page: 'catalogue' })} data-testid="wizard-back">
            ← Runbooks
          </Anchor>
        </Group>
        <Title order={3}>New run: {runbook.title}</Title>
        <Text size="sm" c="dimmed">
          {runbook.summary}
        </Text>
        <Paper withBorder p="md">
          <Stack gap="sm">
            {runbook.params.map((param) => (
              <fieldset key={param.name} disabled={locked} style={{ border: 0, padding: 0, margin: 0 }}>
                <ParamField
                  param={param}
                  value={values[param.name]}
                  error={fieldError(param.name)}
                  onChange={(value) => {
                    setValues((current) => ({ ...current, [param.name]: value }));
                    setServerErrors(({ [param.name]: _dropped, ...rest }) => rest);
                  }}
                />
              </fieldset>
            ))}
            {error && Object.keys(serverErrors).length === 0 ? (
              <Alert color="red" variant="light" data-testid="wizard-error">
                {error.message}
              </Alert>
            ) : null}
            {touched && Object.keys(localErrors).length > 0 ? (
              <Text size="sm" c="red" data-testid="wizard-invalid">
                Fix the marked fields first.
              </Text>
            ) : null}
            <Group>
              {locked ? (
                <Button variant="default" onClick={() => setCheckRunId(null)} data-testid="wizard-edit">
                  Change parameters
                </Button>
              ) : (
                <>
                  <Button
                    leftSection={<IconChecklist size={16} />}
                    loading={busy === 'prechecks'}
                    disabled={busy !== null}
                    onClick={() => void submit('prechecks')}
                    data-testid="wizard-prechecks"
                  >
                    Run prechecks
                  </Button>
                  <Button
                    variant="default"
                    loading={busy === 'start'}
                    disabled={busy !== null}
                    onClick={() => void submit('start')}
                    data-testid="wizard-create-start"
                  >
                    Create and start
                  </Button>
                </>
              )}
            </Group>
          </Stack>
        </Paper>
        {checkRunId ? (
          <PrecheckResults
            runId={checkRunId}
            onOpenRun={() => navigate({ page: 'run', runId: checkRunId })}
          />
        ) : null}
      </Stack>
    </ScrollArea>
  );
}
