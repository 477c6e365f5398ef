/**
 * Snapshot workspaces open when the app closed come back at start like live connections: the
 * workspace memory keeps their ids ('snapshot:<id>'), and each one is looked up here to rebuild its
 * tab (the offline profile and the banner's details). A snapshot deleted since is dropped with a
 * notice in the sidebar, not an error: nothing is wrong, there is just nothing left to show.
 */
import { countOf } from '../../../../shared/plural';
import { snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { READ_DEADLINE_MS, withDeadline } from '../../api/with-timeout';
import { useConnectionsStore } from '../../stores/connections-store';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { useWorkspaceStore } from '../../stores/workspace-store';
import { offlineProfile } from './offline-profile';

/**
 * Reopens the snapshot workspaces among `ids` (other ids are left alone) and returns the workspace
 * ids that could not come back, so their remembered tree state is not restored either.
 */
export async function reopenSnapshotTabs(ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)].flatMap((workspaceId) => {
    const snapshotId = snapshotIdOfWorkspace(workspaceId);
    return snapshotId === null ? [] : [{ workspaceId, snapshotId }];
  });
  const dropped = new Set<string>();
  if (wanted.length === 0) return dropped;
  const outcomes = await Promise.all(
    wanted.map(async ({ workspaceId, snapshotId }) => {
      try {
        const view = await withDeadline(READ_DEADLINE_MS, 'Reopening a snapshot', (signal) =>
          api.snapshots.get.query({ snapshotId }, { signal }),
        );
        return { workspaceId, view };
      } catch (error) {
        return { workspaceId, error: toApiError(error) };
      }
    }),
  );
  const profiles = [];
  let deleted = 0;
  const failures: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.view) {
      useSnapshotsStore.getState().remember(outcome.view);
      const profile = offlineProfile(outcome.view);
      // The sample opens on its Pegasus view (snapshots-store openSample); so does its reopened tab.
      if (outcome.view.reason === 'sample') useWorkspaceStore.getState().setView(profile.id, 'pegasus');
      profiles.push(profile);
      continue;
    }
    dropped.add(outcome.workspaceId);
    if (outcome.error?.code === 'NOT_FOUND') deleted += 1;
    else failures.push(outcome.error?.message ?? 'unknown error');
  }
  useConnectionsStore.getState().addOffline(profiles);
  const notices: string[] = [];
  if (deleted > 0) {
    notices.push(
      deleted === 1
        ? 'A snapshot that was open when the app last closed has been deleted since: its tab was not reopened.'
        : `${deleted} snapshots that were open when the app last closed have been deleted since: their tabs were not reopened.`,
    );
  }
  if (failures.length > 0) {
    notices.push(
      `${countOf(failures.length, 'snapshot tab')} could not be reopened (${failures[0]}). Open ${failures.length === 1 ? 'it' : 'them'} again from Snapshots….`,
    );
  }
  if (notices.length > 0) useSnapshotsStore.getState().setReopenNotice(notices.join(' '));
  return dropped;
}
