/** The Migrations area: the runbook catalogue, a new run's wizard, or one run. */
import { useRunbooksStore } from '../../stores/runbooks-store';
import { NewRunWizard } from './NewRunWizard';
import { RunbookCatalogue } from './RunbookCatalogue';
import { RunView } from './RunView';

export function MigrationsView() {
  const page = useRunbooksStore((state) => state.migrations);
  const navigate = useRunbooksStore((state) => state.navigate);
  return (
    <div style={{ height: '100%' }} data-testid="migrations-view">
      {page.page === 'catalogue' ? <RunbookCatalogue /> : null}
      {page.page === 'wizard' ? <NewRunWizard key={page.runbookId} runbookId={page.runbookId} /> : null}
      {page.page === 'run' ? (
        <RunView key={page.runId} runId={page.runId} onBack={() => navigate({ page: 'catalogue' })} />
      ) : null}
    </div>
  );
}
