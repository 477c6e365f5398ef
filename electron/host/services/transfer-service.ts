/**
 * Export and import from the app (issue 3, item 7).
 *
 * Export: the export engine writes the subtree (streaming, gzip optional) into the data folder's
 * exports/, as a job with progress; the renderer then downloads it through the host's HTTP
 * (file-transfer.ts). Works on a snapshot workspace as well: it reads through the same session API.
 *
 * Import: the renderer uploads the file (ours or zk-shell's) through the host's HTTP; the preview is
 * the copy engine's dry-run plan with the file as the source (creates, updates, conflicts, samples,
 * nothing written), the apply runs that planned copy. Policies map onto the copy's modes: skip is
 * create-only (existing nodes that differ are left alone), overwrite is overwrite (after a snapshot of
 * the target, design section 8), fail refuses to apply when the preview found any conflict. Every
 * write batch is audited by the engine; the import as a whole gets one event with the file's digest
 * and digests of the data before (the snapshot) and after (what the file holds).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { JobProgressEvent, JobStarted } from '../../../shared/api/background-job';
import { snapshotIdOfWorkspace } from '../../../shared/api/snapshots';
import type {
  ExportResult,
  ImportFileInfo,
  ImportPolicy,
  ImportPreview,
  ImportResult,
} from '../../../shared/api/transfer';
import { parentZkPath } from '../../../shared/zk-path';
import { snapshotFromExport } from '../../engines/snapshots/snapshot-from-export';
import { WalkProgress } from '../../engines/snapshots/walk-progress';
import type { SnapshotRecord } from '../../store/types';
import { RunRefusedError } from '../../engines/zk-copy/run-manager';
import { copyParams } from '../../engines/zk-copy/copy-params';
import { type ProgressEvent, verifyDifferences } from '../../engines/zk-copy/types';
import { type ExportedTree, ExportFormatError, parseExport } from '../../engines/zk-export/export-format';
import { exportTree } from '../../engines/zk-export/export-tree';
import { startBackgroundJob } from './background-jobs';
import { sha256, TreeDigest } from './data-digest';
import { endpointForConnection, engineRunsFor } from './engine-runs-service';
import type { HostServices } from './host-services';
import { captureWith } from './snapshots-service';
import { walkReadersFor } from './walk-readers';
import { assertWritable } from './write-guard';
import { countOf, noun } from '../../../shared/plural';

export class TransferRefusedError extends Error {
  override name = 'TransferRefusedError';
}

export function exportsDir(services: HostServices): string {
  return join(services.info.dataDir, 'exports');
}

export function uploadsDir(services: HostServices): string {
  return join(services.info.dataDir, 'imports');
}

/** The file of an export, whichever extension it was written with; undefined when unknown. */
export function exportFileOf(services: HostServices, fileId: string): string | undefined {
  for (const extension of ['.json.gz', '.json']) {
    const file = join(exportsDir(services), `${fileId}${extension}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'root';

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function describeSource(services: HostServices, connectionId: string): { name: string; source: string } {
  const snapshotId = snapshotIdOfWorkspace(connectionId);
  if (snapshotId !== null) {
    const snapshot = services.store.snapshots.get(snapshotId);
    return {
      name: `snapshot-${snapshot?.connectionName ?? snapshotId}`,
      source: `snapshot ${snapshotId} of ${snapshot?.connectString ?? '?'} taken ${new Date(snapshot?.createdAt ?? 0).toISOString()}`,
    };
  }
  const profile = services.store.connections.get(connectionId);
  if (!profile)
    throw new TransferRefusedError(`Connection ${connectionId} does not exist (it may have been removed)`);
  return { name: profile.name, source: `${profile.connectString}${profile.chroot ?? ''}` };
}

// ------------------------------------------------------------------ export

export function startExport(
  services: HostServices,
  input: { connectionId: string; path: string; gzip: boolean; withStat: boolean },
): JobStarted {
  const { name, source } = describeSource(services, input.connectionId);
  const fileId = randomUUID();
  const extension = input.gzip ? '.json.gz' : '.json';
  const file = join(exportsDir(services), `${fileId}${extension}`);
  const fileName = `${slug(name)}${input.path === '/' ? '' : `-${slug(input.path)}`}-${stamp(Date.now())}${extension}`;
  // A capture of the same subtree says roughly how big it is; the walk's own count firms up.
  const previous = services.store.snapshots
    .list({ connectionId: input.connectionId, limit: 20 })
    .find((snapshot) => snapshot.root === input.path && snapshot.state === 'complete');
  const offline = snapshotIdOfWorkspace(input.connectionId);
  const estimate = offline !== null ? (services.store.snapshots.get(offline)?.nodeCount ?? null) : null;
  return startBackgroundJob<ExportResult>(services, 'export', input, async (job) => {
    // The bulk reader's stat has no zxids: an export with stats reads through the session.
    const readers = input.withStat
      ? {
          sessions: [await services.sessions.open(input.connectionId)],
          concurrency: undefined,
          close: async () => {},
        }
      : await walkReadersFor(services, input.connectionId);
    const progress = new WalkProgress({
      phase: 'exporting',
      estimatedTotal: estimate ?? previous?.nodeCount ?? null,
      emit: job.report,
    });
    let summary: Awaited<ReturnType<typeof exportTree>>;
    try {
      summary = await exportTree({
        sessions: readers.sessions,
        concurrency: readers.concurrency,
        root: input.path,
        file,
        source,
        gzip: input.gzip,
        withStat: input.withStat,
        signal: job.signal,
        progressEvery: 50,
        onProgress: (nodes, bytes, pending) => progress.update(nodes, bytes, { pending }, pending === 0),
      });
    } finally {
      await readers.close();
    }
    const fileBytes = statSync(file).size;
    services.store.events.append({
      actor: services.actor,
      action: 'zk-export.saved',
      target: input.connectionId,
      detail: {
        path: input.path,
        source,
        fileId,
        fileName,
        gzip: input.gzip,
        withStat: input.withStat,
        nodeCount: summary.nodeCount,
        bytes: summary.bytes,
        fileBytes,
        fileDigest: `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`,
        complete: summary.complete,
        unreadable: summary.unreadable.slice(0, 20),
      },
    });
    return {
      fileId,
      fileName,
      nodeCount: summary.nodeCount,
      bytes: summary.bytes,
      fileBytes,
      ephemeral: summary.ephemeral,
      complete: summary.complete,
      unreadable: summary.unreadable.slice(0, 100),
    };
  });
}

// ------------------------------------------------------------------ import

interface UploadRecord {
  name: string;
  size: number;
  digest: string;
}

interface PreviewContext {
  connectionId: string;
  path: string;
  policy: ImportPolicy;
  file: ImportFileInfo;
  conflicts: number;
  /** The uploaded file on disk. */
  upload: string;
}

const previewsByHost = new WeakMap<HostServices, Map<string, PreviewContext>>();

function previews(services: HostServices): Map<string, PreviewContext> {
  let map = previewsByHost.get(services);
  if (!map) {
    map = new Map();
    previewsByHost.set(services, map);
  }
  return map;
}

export function uploadFileOf(services: HostServices, fileId: string): { file: string; record: UploadRecord } {
  const file = join(uploadsDir(services), `${fileId}.upload`);
  const meta = join(uploadsDir(services), `${fileId}.json`);
  if (!existsSync(file) || !existsSync(meta)) {
    throw new TransferRefusedError(`No uploaded file ${fileId} on this host: upload the file again`);
  }
  return { file, record: JSON.parse(readFileSync(meta, 'utf8')) as UploadRecord };
}

/** Reads an uploaded file as an export; every problem names the file as the operator knows it. */
export function readUpload(file: string, name: string): ExportedTree {
  const raw = readFileSync(file);
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (error) {
      throw new ExportFormatError(
        `${name} is gzip but does not decompress (${error instanceof Error ? error.message : String(error)}): it is probably truncated. Export it again. Nothing was written.`,
      );
    }
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ExportFormatError(
      `${name} is not valid JSON (${error instanceof Error ? error.message : String(error)}): it may be truncated, or it is not an export. Nothing was written.`,
    );
  }
  try {
    return parseExport(document, name);
  } catch (error) {
    if (error instanceof ExportFormatError) {
      throw new ExportFormatError(`${error.message}. Nothing was written.`);
    }
    throw error;
  }
}

function toJobProgress(event: ProgressEvent, started: number): JobProgressEvent {
  return {
    type: 'progress',
    phase: event.phase ?? 'import',
    done: event.done,
    total: event.total,
    totalIsEstimate: false,
    rate: event.rate,
    bytes: event.bytes,
    etaSeconds: event.etaSeconds,
    elapsedMs: Date.now() - started,
    counts: { ...event.counts },
  };
}

/** Forwards a run's progress events to a job while `work` runs. */
async function following<T>(
  services: HostServices,
  runId: string,
  report: (event: JobProgressEvent) => void,
  work: () => Promise<T>,
): Promise<T> {
  const runs = engineRunsFor(services);
  const started = Date.now();
  const onProgress = (event: ProgressEvent) => {
    if (event.runId === runId) report(toJobProgress(event, started));
  };
  runs.events.on('progress', onProgress);
  try {
    return await work();
  } finally {
    runs.events.off('progress', onProgress);
  }
}

const refuse = (error: unknown): never => {
  if (error instanceof RunRefusedError) throw new TransferRefusedError(error.message);
  throw error;
};

export function startImportPreview(
  services: HostServices,
  input: { connectionId: string; fileId: string; path: string; policy: ImportPolicy },
): JobStarted {
  if (snapshotIdOfWorkspace(input.connectionId) !== null) {
    throw new TransferRefusedError('A snapshot is read-only: import into a live connection');
  }
  const { file, record } = uploadFileOf(services, input.fileId);
  // Parsed here, so a file that is not an export fails the request itself, with nothing started.
  const tree = readUpload(file, record.name);
  const info: ImportFileInfo = {
    name: record.name,
    format: tree.format,
    root: tree.root,
    nodeCount: tree.nodes.size,
    complete: tree.complete,
    exportedAt: tree.exportedAt,
    source: tree.source,
    fileDigest: record.digest,
  };
  const params = copyParams(
    { kind: 'snapshot', file, path: tree.root },
    endpointForConnection(services, input.connectionId, input.path),
    {
      mode: input.policy === 'overwrite' ? 'overwrite' : 'create-only',
      // Skipped conflicts are differences by design: verifying would only report them again.
      verify: input.policy !== 'skip',
    },
  );
  const runs = engineRunsFor(services);
  return startBackgroundJob<ImportPreview>(services, 'import-preview', input, async (job) => {
    const session = await services.sessions.open(input.connectionId);
    const parent = parentZkPath(input.path);
    if (input.path !== '/' && !(await session.exists(parent))) {
      throw new TransferRefusedError(
        `The parent ${parent} of ${input.path} does not exist: create it first, or import under another path. Nothing was written.`,
      );
    }
    let runId: string;
    try {
      runId = runs.create('zk-import', params).id;
    } catch (error) {
      refuse(error);
      throw error;
    }
    const plan = await following(services, runId, job.report, () => runs.plan(runId));
    const blocked =
      input.policy === 'fail' && plan.conflicts > 0
        ? `${countOf(plan.conflicts, 'node')} already ${noun(plan.conflicts, 'exists', 'exist')} with other data or ACL, and the policy is "fail": nothing will be written. Choose skip or overwrite, or import elsewhere.`
        : null;
    previews(services).set(runId, {
      connectionId: input.connectionId,
      path: input.path,
      policy: input.policy,
      file: info,
      conflicts: plan.conflicts,
      upload: file,
    });
    return {
      runId,
      connectionId: input.connectionId,
      path: input.path,
      policy: input.policy,
      file: info,
      creates: plan.creates,
      updates: plan.updates,
      aclUpdates: plan.aclUpdates,
      unchanged: plan.unchanged,
      conflicts: plan.conflicts,
      skippedEphemeral: plan.skippedEphemeral,
      unreadable: plan.unreadable,
      samples: plan.samples,
      blocked,
    };
  });
}

/**
 * An uploaded export opened as a snapshot: a backup browsed offline like a capture (the Explorer, the
 * search, the Pegasus views), without importing it anywhere.
 */
export function snapshotFromUpload(services: HostServices, fileId: string): SnapshotRecord {
  const { file, record } = uploadFileOf(services, fileId);
  const tree = readUpload(file, record.name);
  return snapshotFromExport({
    store: services.store,
    actor: services.actor,
    tree,
    sourceName: record.name,
    sourceDescription: tree.source ? `export of ${tree.source}` : `${tree.format} file`,
    reason: 'export-file',
    label: record.digest,
  });
}

/** SHA-256 over (target path, SHA-256 of data) of what the file writes, in path order. */
function importedDigest(tree: ExportedTree, targetPath: string): string {
  const entries: { path: string; sha: Buffer }[] = [];
  for (const node of tree.nodes.values()) {
    if (node.ephemeral) continue;
    const rest = tree.root === '/' ? node.path : node.path.slice(tree.root.length);
    const path = targetPath === '/' ? rest || '/' : `${targetPath}${rest === '/' ? '' : rest}`;
    entries.push({ path, sha: sha256(node.data) });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = new TreeDigest();
  for (const entry of entries) digest.add(entry.path, entry.sha);
  return digest.digest();
}

export function startImportApply(
  services: HostServices,
  input: { runId: string; confirmPath?: string | undefined },
): JobStarted {
  const context = previews(services).get(input.runId);
  if (!context) {
    throw new TransferRefusedError(
      'This preview is not known to the host (it was applied already, or the host restarted): preview the import again',
    );
  }
  assertWritable(services.store, context.connectionId);
  if (context.policy === 'fail' && context.conflicts > 0) {
    throw new TransferRefusedError(
      `The preview found ${countOf(context.conflicts, 'conflict')} and the policy is "fail": nothing was written`,
    );
  }
  if (context.policy === 'overwrite' && input.confirmPath !== context.path) {
    throw new TransferRefusedError(
      `Overwrite replaces data and ACLs under ${context.path}: type that path to confirm. Nothing was written.`,
    );
  }
  previews(services).delete(input.runId);
  const runs = engineRunsFor(services);
  return startBackgroundJob<ImportResult>(services, 'import-apply', context, async (job) => {
    const session = await services.sessions.open(context.connectionId);
    let snapshot: { id: string; digest: string } | null = null;
    if (context.policy === 'overwrite' && (await session.exists(context.path))) {
      const captured = await captureWith(services, {
        connectionId: context.connectionId,
        session,
        path: context.path,
        reason: 'before-import',
        signal: job.signal,
        onProgress: job.report,
      });
      snapshot = { id: captured.snapshot.id, digest: captured.digest };
    }
    if (job.signal.aborted) throw new TransferRefusedError('Cancelled before anything was written');
    const onAbort = () => runs.cancel(input.runId);
    job.signal.addEventListener('abort', onAbort, { once: true });
    let final: Awaited<ReturnType<typeof runs.start>>;
    try {
      final = await following(services, input.runId, job.report, () => runs.start(input.runId));
    } catch (error) {
      refuse(error);
      throw error;
    } finally {
      job.signal.removeEventListener('abort', onAbort);
    }
    const copy = final.result?.copy;
    const verify = final.result?.verify;
    const counts = copy?.counts;
    const differences = verify ? verifyDifferences(verify.counts) : null;
    services.store.events.append({
      actor: services.actor,
      action: 'explorer.import',
      target: context.connectionId,
      detail: {
        path: context.path,
        runId: input.runId,
        file: context.file.name,
        format: context.file.format,
        fileDigest: context.file.fileDigest,
        policy: context.policy,
        status: final.state,
        snapshotId: snapshot?.id ?? null,
        digestBefore: snapshot?.digest ?? null,
        digestAfter: importedDigest(readUpload(context.upload, context.file.name), context.path),
        created: counts?.created ?? 0,
        updated: counts?.updated ?? 0,
        aclUpdated: counts?.aclUpdated ?? 0,
        conflicts: counts?.conflicts ?? 0,
        verifyDifferences: differences,
      },
    });
    if (final.state !== 'completed') {
      const reason = final.result?.error?.message ?? final.state;
      throw new TransferRefusedError(
        `The import ${final.state === 'cancelled' ? 'was cancelled' : 'failed'}: ${reason}. ${
          counts
            ? `${countOf(counts.created, 'node')} ${noun(counts.created, 'was', 'were')} created and ${counts.updated} updated before it stopped; `
            : ''
        }the batches written are in the audit log (run ${input.runId}).${snapshot ? ` The target was saved first as snapshot ${snapshot.id}.` : ''}`,
      );
    }
    return {
      runId: input.runId,
      path: context.path,
      policy: context.policy,
      created: counts?.created ?? 0,
      updated: counts?.updated ?? 0,
      aclUpdated: counts?.aclUpdated ?? 0,
      unchanged: counts?.unchanged ?? 0,
      conflicts: counts?.conflicts ?? 0,
      skippedEphemeral: counts?.skippedEphemeral ?? 0,
      errors: counts?.errors ?? 0,
      verifyDifferences: differences,
      snapshotId: snapshot?.id ?? null,
      samples: copy?.samples ?? {},
    };
  });
}
