/**
 * The once-per-file bench of the copy tests that work on a data dir of their own (CLI children
 * SIGKILLed and resumed, or a host serving the API), registered as the file's beforeAll / afterAll:
 * the data dir, optionally a host on it, sessions to both servers and a wide source tree to copy.
 * The end runs `beforeClose` (stray CLI children), stops the host, removes both trees and the data dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type RunningHost, startHost } from '../../../electron/host/start-host';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createWideTree, removeSubtree, type WideTree } from './engine-test-kit';

export interface CopyBench {
  /** The data dir (a CLI child's --data-dir, the host's). */
  readonly dataDir: string;
  /** The source tree's root (on `src`), and the root the file copies to (on `dst`). */
  readonly source: string;
  readonly target: string;
  readonly src: ZkSession;
  readonly dst: ZkSession;
  /** The host on the data dir (only with `host: true`). */
  readonly host: RunningHost;
  /** Stops the host and starts another on the same data dir: the app restarted. */
  restartHost(): Promise<RunningHost>;
  /** `fn` over the data dir's store (migration-desk.db), opened for it and closed after. */
  withStore<T>(fn: (store: Store) => T): T;
}

/** What the bench opened in beforeAll; a test that runs without it (or a setup that failed) says so. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the copy bench has no ${what} (its beforeAll did not open it)`);
  return value;
}

export function registerCopyBench(options: {
  /** Labels of the test roots (uniqueTestRoot `<label>-src`, `<label>-dst`) and of the data dir. */
  label: string;
  src: string;
  dst: string;
  /** The source tree written at `source`. */
  tree: WideTree;
  /** A host (browser mode, any port) on the data dir, started first. */
  host?: boolean;
  /** More of the file's beforeAll once the tree is written (saved connections, target roots). */
  setup?(bench: CopyBench): Promise<void>;
  /** Runs first at the end (stray CLI children). */
  beforeClose?(): void;
  /** Bound of each hook (ms). */
  hookMs: number;
}): CopyBench {
  const source = uniqueTestRoot(`${options.label}-src`);
  const target = uniqueTestRoot(`${options.label}-dst`);
  const dataDir = mkdtempSync(join(tmpdir(), `mdesk-${options.label}-`));
  const newHost = () => startHost({ mode: 'browser', dataDir, port: 0, log: () => {} });
  let host: RunningHost | undefined;
  let sessions: { src: ZkSession; dst: ZkSession } | undefined;
  const bench: CopyBench = {
    dataDir,
    source,
    target,
    get src() {
      return ready(sessions, 'sessions').src;
    },
    get dst() {
      return ready(sessions, 'sessions').dst;
    },
    get host() {
      return ready(host, 'host');
    },
    async restartHost() {
      await bench.host.stop();
      host = await newHost();
      return host;
    },
    withStore(fn) {
      const store = openStore({
        file: join(dataDir, 'migration-desk.db'),
        secretBox: createSecretBox(randomBytes(32)),
      });
      try {
        return fn(store);
      } finally {
        store.close();
      }
    },
  };
  beforeAll(async () => {
    if (options.host) host = await newHost();
    sessions = { src: await connect(options.src), dst: await connect(options.dst) };
    await createWideTree(sessions.src, source, options.tree);
    await options.setup?.(bench);
  }, options.hookMs);
  afterAll(async () => {
    options.beforeClose?.();
    await host?.stop();
    if (sessions) {
      await removeSubtree(sessions.src, source);
      await removeSubtree(sessions.dst, target);
      await Promise.allSettled([sessions.src.close(), sessions.dst.close()]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, options.hookMs);
  return bench;
}
