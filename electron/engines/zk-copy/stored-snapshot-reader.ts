/**
 * A snapshot in the app's store as the source of a copy, a verify or a reconcile: nodes come out of
 * SQLite (the exact BLOB bytes, the captured ACL and stat), with no network and no way to write.
 * Ephemeral nodes were captured with their owner in the stat, so they read as ephemeral and the
 * engine skips them exactly as it skips live ones.
 */
import type { SnapshotsRepo } from '../../store/types';
// A snapshot captured through a connection without ADMIN recorded the mask, not the hash.
import { isMaskedDigest } from './acl-rules';
import { CopyStopError } from './faults';
import { absolutePath, type ReadResult, type TreeReader } from './tree-reader';
import type { StoredSnapshotRef } from './types';
import { countOf, noun } from '../../../shared/plural';

/** Nodes examined per page of the masked-ACL scan (a page holds their data too). */
const SCAN_PAGE = 500;

export class StoredSnapshotReader implements TreeReader {
  /** Reads are synchronous SQLite lookups: more lanes would not read faster. */
  readonly lanes = 1;
  private aclCheck: Promise<void> | undefined;

  constructor(
    private readonly repo: SnapshotsRepo,
    private readonly snapshotId: string,
    /** Absolute path of the subtree, as captured (the snapshot's root or below it). */
    readonly rootPath: string,
    readonly label: string,
  ) {}

  isReserved(): boolean {
    // A snapshot holds what its capture walked, and that walk already left /zookeeper out.
    return false;
  }

  async read(rel: string, _lane: number, withAcl: boolean): Promise<ReadResult> {
    // Before the first ACL leaves the snapshot (the walk reads the root first, before any write).
    if (withAcl) {
      this.aclCheck ??= this.checkAcls();
      await this.aclCheck;
    }
    const node = this.repo.node(this.snapshotId, absolutePath(this.rootPath, rel));
    if (!node) {
      this.checkStillThere();
      return { state: 'absent' };
    }
    return {
      state: 'present',
      node: {
        data: node.data,
        acl: withAcl ? node.acl : undefined,
        version: node.stat.version,
        aversion: node.stat.aversion,
        // The capture stored the children it holds, so the walk lists exactly those.
        numChildren: node.stat.numChildren,
        ephemeral: node.stat.ephemeralOwner !== '0x0',
      },
    };
  }

  async children(rel: string, _lane: number): Promise<string[]> {
    // Only asked for nodes read as present with children: none means the snapshot went away.
    const path = absolutePath(this.rootPath, rel);
    const names = this.repo.children(this.snapshotId, path);
    if (names.length === 0) this.checkStillThere();
    // SQLite orders by UTF-8 bytes; the pair walk merges in JavaScript's order (as live sessions sort).
    return names.sort();
  }

  /**
   * A snapshot deleted while a run reads it would look like an empty source, and mirror mode would
   * delete the target to match: every "nothing here" is checked against the snapshot still existing.
   */
  private checkStillThere(): void {
    if (this.repo.get(this.snapshotId)) return;
    throw new CopyStopError({
      code: 'NO_SNAPSHOT',
      message: `The source ${this.label} was deleted while this run read it: the run stopped before taking it for an empty tree; start a new run from another source`,
    });
  }

  /**
   * Refuses ACLs the capture could not see: copying 'user:x' would lock that user out of the copy,
   * and comparing it would call every such node different. One pass over the subtree, in pages.
   */
  private async checkAcls(): Promise<void> {
    let masked = 0;
    let first: string | undefined;
    const visit = (path: string, acl: readonly { scheme: string; id: string }[]) => {
      if (!acl.some(isMaskedDigest)) return;
      masked += 1;
      first ??= path;
    };
    const root = this.repo.node(this.snapshotId, this.rootPath);
    if (root) visit(root.path, root.acl);
    // The subtree's paths in order are [root + '/', root + '0'): '0' sorts right after '/'.
    const low = this.rootPath === '/' ? '/' : `${this.rootPath}/`;
    const high = this.rootPath === '/' ? '0' : `${this.rootPath}0`;
    for (let after = low; ; ) {
      const page = this.repo.nodesAfter(this.snapshotId, after, SCAN_PAGE);
      const inside = page.filter((node) => node.path < high);
      for (const node of inside) visit(node.path, node.acl);
      if (inside.length < page.length || page.length < SCAN_PAGE) break;
      after = page[page.length - 1]!.path;
    }
    if (masked > 0) {
      throw new CopyStopError({
        code: 'MASKED_ACL',
        path: first,
        message: `${countOf(masked, 'node')} of ${this.label} (first: ${first}) ${noun(masked, 'has', 'have')} digest ACLs recorded as 'user:x': ZooKeeper hides the password hash from a connection without ADMIN permission, so the capture never saw it, and copying or comparing it would lock that user out. Take the snapshot again through a connection that authenticates as an admin of those nodes, or copy without ACLs.`,
        needs: 'a snapshot captured with ADMIN permission, or copying without ACLs',
      });
    }
  }

  async close(): Promise<void> {
    // The store belongs to the host (or the CLI): nothing of ours to close.
  }
}

/**
 * Opens the snapshot of a run's source when the run starts or resumes, checking it is still the
 * one the run was made with and still complete: one deleted meanwhile stops the run, saying so.
 */
export function openStoredSnapshot(
  repo: SnapshotsRepo | undefined,
  ref: StoredSnapshotRef,
  label: string,
): StoredSnapshotReader {
  if (!repo) {
    throw new CopyStopError({
      code: 'NO_SNAPSHOT',
      message: `Cannot read ${label}: no snapshot store is open`,
    });
  }
  const snapshot = repo.get(ref.snapshotId);
  if (!snapshot || snapshot.createdAt !== ref.capturedAt) {
    throw new CopyStopError({
      code: 'NO_SNAPSHOT',
      message: `The source ${label} no longer exists (it was deleted): start a new run from another source`,
    });
  }
  if (snapshot.state !== 'complete') {
    throw new CopyStopError({
      code: 'NO_SNAPSHOT',
      message: `The source ${label} is ${snapshot.state === 'failed' ? 'a failed capture' : 'still being taken'}: only a complete snapshot can be copied from`,
    });
  }
  return new StoredSnapshotReader(repo, snapshot.id, ref.path, label);
}
