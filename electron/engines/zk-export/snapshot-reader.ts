/**
 * An export file as one side of a copy or a diff: "copy from a saved snapshot" and `mdesk zk import`
 * are the copy engine with this reader as the source.
 */
import { ZkError } from '../../zk/errors';
import { absolutePath, type ReadResult, type TreeReader } from '../zk-copy/tree-reader';
import type { ExportedTree } from './export-format';

export class SnapshotReader implements TreeReader {
  readonly lanes = 1;

  constructor(
    private readonly tree: ExportedTree,
    /** Absolute path inside the export to treat as the root (default: the export's root). */
    readonly rootPath: string,
    readonly label: string,
  ) {}

  isReserved(): boolean {
    // An export holds what was exported; /zookeeper was never walked into it.
    return false;
  }

  async read(rel: string, _lane: number, withAcl: boolean): Promise<ReadResult> {
    const node = this.tree.nodes.get(absolutePath(this.rootPath, rel));
    if (!node) return { state: 'absent' };
    return {
      state: 'present',
      node: {
        data: node.data,
        acl: withAcl ? node.acl : undefined,
        version: node.stat?.version ?? 0,
        aversion: node.stat?.aversion ?? 0,
        numChildren: node.children.length,
        ephemeral: node.ephemeral,
      },
    };
  }

  async children(rel: string, _lane?: number): Promise<string[]> {
    const path = absolutePath(this.rootPath, rel);
    const node = this.tree.nodes.get(path);
    if (!node) throw new ZkError('NO_NODE', `${path} is not in the snapshot`, { path });
    return node.children;
  }

  async close(): Promise<void> {}
}
