/**
 * Exports a live subtree to a file, streaming: the tree walker reads (several sessions, bounded
 * window), the writer appends. Nodes the credentials cannot read are listed in the file and make it
 * incomplete, never silently missing: a cleanup refuses to delete from an incomplete export.
 */
import type { ZkSessionLike } from '../../zk/types';
import { walkTree } from '../../zk/tree-walker';
import { ExportWriter } from './export-file';

export interface ExportTreeOptions {
  sessions: readonly ZkSessionLike[];
  root: string;
  file: string;
  /** Where it was read from, for the file's header (no credentials). */
  source: string;
  gzip?: boolean;
  withStat?: boolean;
  concurrency?: number;
  /** Nodes and data bytes written, and nodes the walk knows it still has to read. */
  onProgress?: (nodes: number, bytes: number, pending: number) => void;
  /** onProgress every this many nodes (default 1000), and once at the end. */
  progressEvery?: number;
  /** Stops the walk; the partial file is removed and the export rejects. */
  signal?: AbortSignal;
}

export interface ExportSummary {
  file: string;
  root: string;
  nodeCount: number;
  bytes: number;
  ephemeral: number;
  unreadable: string[];
  complete: boolean;
  seconds: number;
}

export async function exportTree(options: ExportTreeOptions): Promise<ExportSummary> {
  const started = Date.now();
  const root = await options.sessions[0]?.exists(options.root);
  if (!root) throw new Error(`Cannot export ${options.root}: it does not exist on ${options.source}`);
  const writer = ExportWriter.open(
    options.file,
    { root: options.root, source: options.source, exportedAt: Date.now() },
    { gzip: options.gzip },
  );
  const unreadable: string[] = [];
  let bytes = 0;
  let ephemeral = 0;
  const walker = walkTree({
    sessions: options.sessions,
    root: options.root,
    withAcl: true,
    concurrency: options.concurrency,
  });
  const onAbort = () => walker.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of walker) {
      if (event.kind === 'unreadable') {
        unreadable.push(event.path);
        continue;
      }
      if (event.kind !== 'node') continue;
      const isEphemeral = event.stat.ephemeralOwner !== '0x0';
      if (isEphemeral) ephemeral += 1;
      bytes += event.data.length;
      await writer.add({
        path: event.path,
        data: event.data,
        acl: event.acl ?? [],
        ephemeral: isEphemeral,
        stat: options.withStat ? event.stat : undefined,
      });
      if (options.onProgress && writer.count % (options.progressEvery ?? 1000) === 0) {
        const stats = walker.stats();
        options.onProgress(writer.count, bytes, stats.pendingChildren + stats.inVisit + stats.queued);
      }
    }
    if (options.signal?.aborted)
      throw new Error(`Export cancelled after ${writer.count} nodes: no file was kept`);
    const complete = unreadable.length === 0;
    await writer.finish({ complete, unreadable });
    options.onProgress?.(writer.count, bytes, 0);
    return {
      file: options.file,
      root: options.root,
      nodeCount: writer.count,
      bytes,
      ephemeral,
      unreadable,
      complete,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    walker.cancel();
    await writer.abort();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
