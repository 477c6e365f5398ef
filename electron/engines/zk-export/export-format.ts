/**
 * The export file: a versioned JSON document of a subtree, data as base64 (bytes, never text), ACLs,
 * the ephemeral flag, optionally the stat; gzip when the file name ends in .gz. It is the backup the
 * cleanup takes before deleting a tree, and what `mdesk zk export` / `import` read and write.
 *
 * Also read: zk-shell's JSON backups (`{ "/path": { "content": base64 | null, "acls": [...] } }`),
 * so an operator's existing backups can be imported.
 */
import { ALL_PERMS, permsToLetters } from '../../zk/acl';
import type { ZkAcl, ZkStatRaw } from '../../zk/types';

export const EXPORT_FORMAT = 'migration-desk.zk-export';
export const EXPORT_VERSION = 1;

export interface ExportedNodeJson {
  /** Absolute path on the source. */
  path: string;
  /** Base64 of the exact bytes ('' for empty). */
  data: string;
  acl: ZkAcl[];
  ephemeral: boolean;
  stat?: ZkStatRaw;
}

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** Absolute path of the exported subtree's root. */
  root: string;
  /** Where it was read from (connect string, no credentials). */
  source: string;
  exportedAt: number;
}

/** A parsed export, whatever the file's format. */
export interface ExportedTree {
  format: 'migration-desk' | 'zk-shell';
  root: string;
  source: string | null;
  exportedAt: number | null;
  /** False when the export missed nodes it could not read (they are listed in `unreadable`). */
  complete: boolean;
  unreadable: string[];
  nodes: Map<string, ExportedNode>;
}

export interface ExportedNode {
  path: string;
  data: Buffer;
  acl: ZkAcl[];
  ephemeral: boolean;
  /** Sorted child names. */
  children: string[];
  stat?: ZkStatRaw;
}

export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

const OPEN: ZkAcl = { scheme: 'world', id: 'anyone', perms: 'cdrwa' };

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function isUnder(path: string, root: string): boolean {
  return root === '/' ? path.startsWith('/') : path === root || path.startsWith(`${root}/`);
}

/** Links nodes to their parents; missing parents below the root are added empty (open ACL). */
function linkTree(nodes: Map<string, ExportedNode>, root: string): void {
  const queue = [...nodes.keys()];
  // An index, not shift(): exports hold hundreds of thousands of nodes.
  for (let index = 0; index < queue.length; index += 1) {
    const path = queue[index]!;
    if (path === root) continue;
    const parent = parentOf(path);
    if (!isUnder(parent, root)) continue;
    let node = nodes.get(parent);
    if (!node) {
      node = { path: parent, data: Buffer.alloc(0), acl: [OPEN], ephemeral: false, children: [] };
      nodes.set(parent, node);
      queue.push(parent);
    }
    node.children.push(nameOf(path));
  }
  for (const node of nodes.values()) node.children.sort();
}

function parseOurs(document: Record<string, unknown>, file: string): ExportedTree {
  if (document.version !== EXPORT_VERSION) {
    throw new ExportFormatError(
      `${file} is a Migration Desk export of version ${String(document.version)}; this version reads version ${EXPORT_VERSION}. Update Migration Desk.`,
    );
  }
  const root = document.root;
  if (typeof root !== 'string' || !root.startsWith('/')) {
    throw new ExportFormatError(`${file} has no valid "root" path`);
  }
  const list = document.nodes;
  if (!Array.isArray(list)) throw new ExportFormatError(`${file} has no "nodes" list`);
  const nodes = new Map<string, ExportedNode>();
  for (const [index, raw] of list.entries()) {
    const entry = raw as Partial<ExportedNodeJson>;
    if (typeof entry.path !== 'string' || !isUnder(entry.path, root)) {
      throw new ExportFormatError(`${file}: node ${index} has no path under ${root}`);
    }
    if (typeof entry.data !== 'string')
      throw new ExportFormatError(`${file}: node ${entry.path} has no data`);
    const node: ExportedNode = {
      path: entry.path,
      data: Buffer.from(entry.data, 'base64'),
      acl: Array.isArray(entry.acl) && entry.acl.length > 0 ? entry.acl : [OPEN],
      ephemeral: entry.ephemeral === true,
      children: [],
    };
    if (entry.stat) node.stat = entry.stat;
    nodes.set(entry.path, node);
  }
  linkTree(nodes, root);
  return {
    format: 'migration-desk',
    root,
    source: typeof document.source === 'string' ? document.source : null,
    exportedAt: typeof document.exportedAt === 'number' ? document.exportedAt : null,
    complete: document.complete === true,
    unreadable: Array.isArray(document.unreadable) ? (document.unreadable as string[]) : [],
    nodes,
  };
}

interface ZkShellAcl {
  perms?: number;
  id?: { scheme?: string; id?: string };
}

function parseZkShell(document: Record<string, unknown>, file: string): ExportedTree {
  const nodes = new Map<string, ExportedNode>();
  for (const [path, raw] of Object.entries(document)) {
    if (!path.startsWith('/')) throw new ExportFormatError(`${file}: key '${path}' is not a ZooKeeper path`);
    const entry = raw as { content?: string | null; acls?: ZkShellAcl[] };
    // zk-shell writes content as base64 (null for null data).
    const data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'base64') : Buffer.alloc(0);
    const acl = (entry.acls ?? []).map(
      (item): ZkAcl => ({
        scheme: item.id?.scheme ?? 'world',
        id: item.id?.id ?? 'anyone',
        perms: permsToLetters(item.perms ?? ALL_PERMS),
      }),
    );
    nodes.set(path, { path, data, acl: acl.length > 0 ? acl : [OPEN], ephemeral: false, children: [] });
  }
  if (nodes.size === 0) throw new ExportFormatError(`${file} holds no nodes`);
  // The root: the shortest path every other path is under.
  const paths = [...nodes.keys()].sort((a, b) => a.length - b.length);
  let root = paths[0]!;
  while (!paths.every((path) => isUnder(path, root))) root = parentOf(root);
  linkTree(nodes, root);
  return { format: 'zk-shell', root, source: null, exportedAt: null, complete: true, unreadable: [], nodes };
}

/** Parses an export document (already JSON-decoded); `file` names it in messages. */
export function parseExport(document: unknown, file: string): ExportedTree {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ExportFormatError(`${file} is not an export: expected a JSON object`);
  }
  const object = document as Record<string, unknown>;
  if (object.format === EXPORT_FORMAT) return parseOurs(object, file);
  const keys = Object.keys(object);
  if (keys.length > 0 && keys.every((key) => key.startsWith('/'))) return parseZkShell(object, file);
  throw new ExportFormatError(
    `${file} is neither a Migration Desk export (format "${EXPORT_FORMAT}") nor a zk-shell JSON backup`,
  );
}
