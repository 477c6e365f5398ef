/**
 * Which paths an export holds, read as a stream and kept as 52-bit digests in a flat table: what a
 * cleanup needs to refuse deleting a node the export does not have, without holding the export (its
 * data, ACLs, stats) or even its paths in memory. ~16 bytes per node instead of several hundred.
 *
 * Exports written by ExportWriter put one node per line (the header line ends with `"nodes":[`, the
 * summary line starts with `]`), so they are read line by line through gunzip when compressed. A
 * file in another layout (a zk-shell backup, a hand-edited export) is parsed whole instead.
 *
 * A digest is not the path: two paths could share one. With 52 bits, the chance that a node created
 * after the export shares the digest of one of a million exported paths is about 2e-10 per new node.
 */
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { readExportFile } from '../zk-export/export-file';
import { EXPORT_FORMAT, ExportFormatError } from '../zk-export/export-format';

/** An open-addressing set of 52-bit digests (doubles hold them exactly). */
export class DigestSet {
  private table: Float64Array;
  private used = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.table = new Float64Array(size).fill(-1);
  }

  get size(): number {
    return this.used;
  }

  add(digest: number): void {
    if ((this.used + 1) * 2 > this.table.length) this.grow();
    if (this.insert(this.table, digest)) this.used += 1;
  }

  has(digest: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = digest % table.length; ; slot = (slot + 1) & mask) {
      const value = table[slot]!;
      if (value === -1) return false;
      if (value === digest) return true;
    }
  }

  private insert(table: Float64Array, digest: number): boolean {
    const mask = table.length - 1;
    for (let slot = digest % table.length; ; slot = (slot + 1) & mask) {
      const value = table[slot]!;
      if (value === digest) return false;
      if (value === -1) {
        table[slot] = digest;
        return true;
      }
    }
  }

  private grow(): void {
    const next = new Float64Array(this.table.length * 2).fill(-1);
    for (const value of this.table) if (value !== -1) this.insert(next, value);
    this.table = next;
  }
}

/** The first 52 bits of the path's SHA-1. */
export function pathDigest(path: string): number {
  const hash = createHash('sha1').update(path, 'utf8').digest();
  return hash.readUIntBE(0, 6) * 16 + (hash[6]! >> 4);
}

export interface ExportPathIndex {
  root: string;
  complete: boolean;
  unreadable: number;
  /** Nodes the export holds. */
  nodeCount: number;
  has(path: string): boolean;
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

const NODES_OPEN = ',"nodes":[';

/** Reads an export's root, completeness and path digests, streaming when its layout allows. */
export async function indexExportPaths(file: string): Promise<ExportPathIndex> {
  let gzip: boolean;
  try {
    gzip = isGzip(file);
  } catch (error) {
    throw new ExportFormatError(
      `Cannot read the export ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const input = createReadStream(file);
  const lines = createInterface({ input: gzip ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  const digests = new DigestSet();
  let header: { root?: unknown; format?: unknown } | undefined;
  let summary: { nodeCount?: unknown; complete?: unknown; unreadable?: unknown } | undefined;
  let streamed = true;
  try {
    for await (const line of lines) {
      if (header === undefined) {
        // `{...header fields...,"nodes":[` on the first line, or not our layout at all.
        if (!line.endsWith(NODES_OPEN.slice(1)) || !line.includes(NODES_OPEN)) {
          streamed = false;
          break;
        }
        header = JSON.parse(`${line.slice(0, line.lastIndexOf(NODES_OPEN))}}`) as typeof header;
        continue;
      }
      if (line.startsWith(']')) {
        summary = JSON.parse(`{${line.slice(2)}`) as typeof summary;
        break;
      }
      const text = line.endsWith(',') ? line.slice(0, -1) : line;
      if (text.trim() === '') continue;
      const node = JSON.parse(text) as { path?: unknown };
      if (typeof node.path !== 'string') throw new ExportFormatError(`${file}: a node without a path`);
      digests.add(pathDigest(node.path));
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    // Not line-per-node after all (or truncated): the whole-file parser says what is wrong.
    streamed = false;
  } finally {
    lines.close();
    input.destroy();
  }
  if (
    !streamed ||
    !header ||
    !summary ||
    header.format !== EXPORT_FORMAT ||
    typeof header.root !== 'string'
  ) {
    const tree = readExportFile(file);
    const whole = new DigestSet(tree.nodes.size);
    for (const path of tree.nodes.keys()) whole.add(pathDigest(path));
    return {
      root: tree.root,
      complete: tree.complete,
      unreadable: tree.unreadable.length,
      nodeCount: tree.nodes.size,
      has: (path) => whole.has(pathDigest(path)),
    };
  }
  const nodeCount = typeof summary.nodeCount === 'number' ? summary.nodeCount : digests.size;
  if (nodeCount !== digests.size) {
    throw new ExportFormatError(
      `${file} says it holds ${nodeCount} nodes but lists ${digests.size} distinct paths: it may be damaged`,
    );
  }
  return {
    root: header.root,
    complete: summary.complete !== false,
    unreadable: Array.isArray(summary.unreadable) ? summary.unreadable.length : 0,
    nodeCount,
    has: (path) => digests.has(pathDigest(path)),
  };
}
