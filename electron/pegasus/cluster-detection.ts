/**
 * Finds Pegasus cluster roots in a ZooKeeper ensemble, and checks a root the operator typed in.
 *
 * A cluster root is a node whose `apps` child holds `lock`, `unlock` or nothing and has numeric
 * children holding app JSON (reference §1.2, §1.3). Where roots sit (reference §1.1):
 * - production: `cluster_root = /pegasus/<cluster>`, sometimes with extra levels
 *   (`/pegasus/bjsrv-account/0.0.x.x`), lock dir under `<root>/lock/`;
 * - onebox: `/pegasus/onebox/<hostname>`, lock dir directly under the root;
 * - anything else the config says (`cluster_root` defaults to "/").
 *
 * The walk is breadth-first and bounded by depth and by nodes visited, and says when a bound cut it
 * short, so a huge ensemble (or one holding other products' trees) cannot stall the UI.
 */
import { joinZkPath, parentZkPath, validateZkPath } from '../../shared/zk-path';
import { BoundedReads } from './bounded-reads';
import { decodeAppInfo } from './decoders/app-info';
import { type AppsRootState, decodeAppsRootState } from './decoders/apps-root-state';
import { META_LOCK_ID } from './decoders/meta-lock';
import type { ModelWarning } from './model-warning';
import type { ZkReader } from './zk-reader';

export type ClusterLayout = 'production' | 'onebox' | 'custom';

export interface DetectedClusterRoot {
  path: string;
  /** The last path component: the cluster name in the production template, the host in onebox. */
  clusterName: string;
  layout: ClusterLayout;
  appsState: AppsRootState;
  /** False when `apps` is 'lock': a meta server would crash loading this tree (reference §1.2). */
  loadable: boolean;
  /** Numeric children of `apps` (available and dropped tables). */
  tableCount: number;
  /** The first app node that decoded, as evidence. */
  sampleTable: { appId: number; name: string | null };
}

export interface DetectClusterRootsOptions {
  /** Where to start (default '/'). */
  startPath?: string;
  /** Deepest node that is checked as a root (default 6; `/pegasus/<cluster>` is depth 2). */
  maxDepth?: number;
  /** Nodes listed or read before giving up (default 5000). */
  maxNodesVisited?: number;
  /** Reads in flight (default 32). */
  concurrency?: number;
  signal?: AbortSignal;
}

export type DetectionLimit = 'max-depth' | 'max-nodes';

export interface ClusterRootDetection {
  roots: DetectedClusterRoot[];
  nodesVisited: number;
  /** True when a bound stopped the walk before the whole tree was seen. */
  truncated: boolean;
  limitsHit: DetectionLimit[];
  /** Nodes known to exist that were not looked at because of the bounds. */
  unexploredNodes: number;
  warnings: ModelWarning[];
}

export const DEFAULT_DETECTION_LIMITS = { maxDepth: 6, maxNodesVisited: 5000, concurrency: 32 } as const;

/** How many app nodes to try before deciding `apps` does not hold app JSON. */
const APP_SAMPLES = 3;
const NUMERIC = /^\d+$/;

function depthOf(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

function layoutOf(path: string, children: ReadonlySet<string>): ClusterLayout {
  if (children.has(META_LOCK_ID) || path.startsWith('/pegasus/onebox/')) return 'onebox';
  if (children.has('lock') || path.startsWith('/pegasus/')) return 'production';
  return 'custom';
}

type Inspection =
  | { ok: true; root: DetectedClusterRoot }
  | { ok: false; problems: string[]; bounded?: boolean };

const VISIT_BOUND: Inspection = {
  ok: false,
  problems: ['the bound on nodes visited was reached'],
  bounded: true,
};

/** Checks whether `path`, whose children are known, is a Pegasus cluster root. */
async function inspectRoot(
  reads: BoundedReads,
  path: string,
  children: ReadonlySet<string>,
  /** Counts a node about to be read; false when the visit bound forbids it. */
  onVisit: () => boolean,
): Promise<Inspection> {
  if (!children.has('apps')) return { ok: false, problems: [`${path} has no 'apps' child`] };
  const appsPath = joinZkPath(path, 'apps');
  if (!onVisit()) return VISIT_BOUND;
  const appsRead = await reads.getData(appsPath);
  if (appsRead.kind !== 'ok') {
    return {
      ok: false,
      problems: [`${appsPath} cannot be read${appsRead.kind === 'denied' ? `: ${appsRead.message}` : ''}`],
    };
  }
  const state = decodeAppsRootState(appsRead.value.data);
  if (!state.ok) return { ok: false, problems: [`${appsPath}: ${state.error}`] };
  const listed = await reads.childrenOf(appsPath, appsRead.value.stat);
  const ids =
    listed.kind === 'ok'
      ? listed.value
          .filter((name) => NUMERIC.test(name))
          .map(Number)
          .sort((a, b) => a - b)
      : [];
  if (ids.length === 0) return { ok: false, problems: [`${appsPath} has no numeric children (no tables)`] };

  const problems: string[] = [];
  for (const appId of ids.slice(0, APP_SAMPLES)) {
    const appPath = joinZkPath(appsPath, String(appId));
    if (!onVisit()) return VISIT_BOUND;
    const read = await reads.getData(appPath);
    if (read.kind !== 'ok') {
      problems.push(`${appPath} cannot be read`);
      continue;
    }
    const info = decodeAppInfo(read.value.data);
    if (info.ok && (info.value.appName !== null || info.value.statusRaw !== null)) {
      return {
        ok: true,
        root: {
          path,
          clusterName: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1),
          layout: layoutOf(path, children),
          appsState: state.value.state,
          loadable: state.value.loadable,
          tableCount: ids.length,
          sampleTable: { appId, name: info.value.appName },
        },
      };
    }
    problems.push(
      `${appPath} does not hold app JSON${info.ok ? ' (no app_name or status)' : `: ${info.error}`}`,
    );
  }
  return { ok: false, problems };
}

export async function detectClusterRoots(
  reader: ZkReader,
  options: DetectClusterRootsOptions = {},
): Promise<ClusterRootDetection> {
  const start = options.startPath ?? '/';
  const problem = validateZkPath(start);
  if (problem) throw new Error(`Cannot search from ${JSON.stringify(start)}: ${problem}`);
  const maxDepth = options.maxDepth ?? DEFAULT_DETECTION_LIMITS.maxDepth;
  const maxNodes = options.maxNodesVisited ?? DEFAULT_DETECTION_LIMITS.maxNodesVisited;
  const reads = new BoundedReads(
    reader,
    options.concurrency ?? DEFAULT_DETECTION_LIMITS.concurrency,
    options.signal,
  );

  const roots: DetectedClusterRoot[] = [];
  const warnings: ModelWarning[] = [];
  const limitsHit = new Set<DetectionLimit>();
  let visited = 0;
  let unexplored = 0;
  const visit = () => {
    if (visited >= maxNodes) {
      limitsHit.add('max-nodes');
      unexplored += 1;
      return false;
    }
    visited += 1;
    return true;
  };

  let level = [start];
  while (level.length > 0) {
    const next: string[] = [];
    await Promise.all(
      level.map(async (path) => {
        if (!visit()) return;
        // Listing directly costs one round trip, as reading the stat first would: no saving there.
        const listed = await reads.getChildren(path);
        if (listed.kind === 'denied')
          warnings.push({ path, message: `cannot list children: ${listed.message}` });
        if (listed.kind !== 'ok') return;
        const children = new Set(listed.value);
        if (children.has('apps')) {
          const inspection = await inspectRoot(reads, path, children, visit);
          // A cluster root's subtree is cluster data (thousands of partitions): never walk into it.
          if (inspection.ok) {
            roots.push(inspection.root);
            return;
          }
        }
        if (depthOf(path) >= maxDepth) {
          if (children.size > 0) {
            limitsHit.add('max-depth');
            unexplored += children.size;
          }
          return;
        }
        for (const child of listed.value) {
          const childPath = joinZkPath(path, child);
          // ZooKeeper's own quota/config tree never holds a Pegasus root.
          if (childPath !== '/zookeeper') next.push(childPath);
        }
      }),
    );
    level = next.sort();
  }

  return {
    roots: roots.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    nodesVisited: visited,
    truncated: limitsHit.size > 0,
    limitsHit: [...limitsHit].sort(),
    unexploredNodes: unexplored,
    warnings,
  };
}

export type ClusterRootValidation =
  | { ok: true; root: DetectedClusterRoot }
  | {
      ok: false;
      path: string;
      /** Why this is not a cluster root, in order. */
      problems: string[];
      /** Cluster roots close to the entered path (its parent, or roots below it). */
      suggestions: string[];
    };

/** Checks a root the operator entered and, when it is wrong, suggests nearby roots. */
export async function validateClusterRoot(
  reader: ZkReader,
  path: string,
  options: Pick<DetectClusterRootsOptions, 'concurrency' | 'signal'> = {},
): Promise<ClusterRootValidation> {
  const pathProblem = validateZkPath(path);
  if (pathProblem) return { ok: false, path, problems: [`Path ${pathProblem}`], suggestions: [] };
  const reads = new BoundedReads(
    reader,
    options.concurrency ?? DEFAULT_DETECTION_LIMITS.concurrency,
    options.signal,
  );
  const unbounded = () => true;

  const inspectPath = async (target: string): Promise<Inspection> => {
    const read = await reads.getData(target);
    if (read.kind === 'missing') return { ok: false, problems: [`There is no node at ${target}`] };
    if (read.kind === 'denied') return { ok: false, problems: [`${target} cannot be read: ${read.message}`] };
    const listed = await reads.childrenOf(target, read.value.stat);
    return inspectRoot(reads, target, new Set(listed.kind === 'ok' ? listed.value : []), unbounded);
  };

  const inspection = await inspectPath(path);
  if (inspection.ok) return inspection;

  const suggestions: string[] = [];
  // Entered `<root>/apps` or `<root>/apps/<id>` instead of the root itself.
  const appsAt = path.split('/').lastIndexOf('apps');
  if (appsAt > 0) {
    const candidate = parentZkPath(
      path
        .split('/')
        .slice(0, appsAt + 1)
        .join('/'),
    );
    if ((await inspectPath(candidate)).ok) suggestions.push(candidate);
  }
  if (!inspection.problems[0]?.startsWith('There is no node')) {
    const below = await detectClusterRoots(reader, {
      startPath: path,
      maxDepth: depthOf(path) + 3,
      maxNodesVisited: 500,
      ...options,
    });
    for (const root of below.roots) if (root.path !== path) suggestions.push(root.path);
  }
  return { ok: false, path, problems: inspection.problems, suggestions };
}
