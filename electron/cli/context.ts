/**
 * What every CLI command gets: output streams, the environment, the store in the data dir (opened on
 * first use), and a SessionFactory that turns SRC/DST into ZooKeeper sessions with the right
 * credentials (MDESK_ZK_AUTH for both sides, plus a saved connection's own).
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseConnectString } from '../../shared/connect-string';
import type { SessionFactory, ZkEndpointRef } from '../engines/zk-copy/endpoints';
import { EngineRuns } from '../engines/zk-copy/run-manager';
import { DATABASE_FILE } from '../host/start-host';
import { resolveDataDir } from '../platform/data-dir';
import { createSecretBox, loadOrCreateKeyFile } from '../platform/secret-box';
import { openStore } from '../store/open-store';
import type { SecretBox, Store } from '../store/types';
import { openRouted, routeEndpoint } from '../ssh/tunnel-route';
import { ZkBulkReader } from '../zk/bulk-read/bulk-reader';
import type { ZkSessionOptions } from '../zk/types';
import { ZkSession } from '../zk/zk-session';
import { CliTunnels } from './cli-tunnels';
import { UsageError } from './command';
import { credentialFromEnv, type EndpointSpec } from './endpoint-spec';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress redraws one line) or a log (one line per update). */
  stderrIsTTY: boolean;
}

const DEFAULT_SESSION_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;

function operatorName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

export class CliContext {
  readonly actor = operatorName();
  private opened: Store | undefined;
  private dataDirPath: string | undefined;
  private runs: EngineRuns | undefined;
  /** SSH tunnels of saved connections with a jump host, opened on first use, closed by close(). */
  private tunnels: CliTunnels | undefined;

  constructor(
    readonly io: CliIo,
    readonly env: NodeJS.ProcessEnv,
    private readonly dataDirOption: string | undefined,
  ) {
    // A malformed MDESK_ZK_AUTH is a usage error now, not a failed connection later.
    credentialFromEnv(env);
  }

  get dataDir(): string {
    this.dataDirPath ??= resolveDataDir(this.dataDirOption);
    return this.dataDirPath;
  }

  /** The store of the data dir; the key file is only read when a saved credential is opened. */
  get store(): Store {
    if (!this.opened) {
      const dataDir = this.dataDir;
      let box: SecretBox | undefined;
      const unlocked = (): SecretBox => {
        box ??= createSecretBox(loadOrCreateKeyFile(dataDir));
        return box;
      };
      const secretBox: SecretBox = {
        seal: (plain) => unlocked().seal(plain),
        open: (sealed) => unlocked().open(sealed),
      };
      this.opened = openStore({ file: join(dataDir, DATABASE_FILE), secretBox });
    }
    return this.opened;
  }

  /** The credential of MDESK_ZK_AUTH, applied to both sides. */
  get envCredential(): string | undefined {
    return credentialFromEnv(this.env);
  }

  /** SRC/DST as an EndpointRef (saved names looked up in the store). */
  resolveEndpoint(spec: EndpointSpec): ZkEndpointRef {
    if (spec.kind === 'url') return { kind: 'zk', connectString: spec.hosts, path: spec.path };
    const profile = this.store.connections
      .list()
      .find((c) => c.name.toLowerCase() === spec.name.toLowerCase());
    if (!profile) {
      const names = this.store.connections.list().map((c) => c.name);
      throw new UsageError(
        `No saved connection named '${spec.name}' in ${this.dataDir}${names.length > 0 ? ` (saved: ${names.join(', ')})` : ''}`,
      );
    }
    const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
    if (!parsed.ok) throw new UsageError(`Saved connection '${profile.name}' is invalid: ${parsed.error}`);
    return {
      kind: 'zk',
      connectString: parsed.value.normalized,
      path: spec.path,
      connectionId: profile.id,
      connectionName: profile.name,
      sessionTimeoutMs: profile.sessionTimeoutMs,
      connectTimeoutMs: profile.connectTimeoutMs,
    };
  }

  readonly factory: SessionFactory = {
    credentials: (ref) => this.credentialsFor(ref),
    openBulkReader: (ref, sessions) =>
      this.routed(ref, (connectString) =>
        ZkBulkReader.open({ ...this.sessionOptions(ref), connectString, sessions }),
      ),
    open: async (ref, purpose) => {
      if (purpose === 'write' && ref.connectionId) {
        const profile = this.store.connections.get(ref.connectionId);
        if (profile?.readOnly) {
          throw new UsageError(
            `The saved connection '${profile.name}' is read-only: switch it to read-write in Migration Desk (Connections) before writing to it`,
          );
        }
      }
      return this.routed(ref, (connectString) =>
        ZkSession.connect({ ...this.sessionOptions(ref), connectString }),
      );
    },
  };

  /**
   * The connect string to give a ZooKeeper client for `ref`: a saved connection's SSH tunnel when it
   * has one (held until close()), for commands that open their own readers.
   */
  async connectStringFor(ref: ZkEndpointRef): Promise<string> {
    if (!ref.connectionId) return ref.connectString;
    this.tunnels ??= new CliTunnels(this.store, this.actor);
    return (await routeEndpoint(this.store, this.tunnels, ref)).connectString;
  }

  /** Opens through the saved connection's SSH tunnel when it has one (see ssh/tunnel-route). */
  private routed<T extends { close(): Promise<void> }>(
    ref: ZkEndpointRef,
    open: (connectString: string) => Promise<T>,
  ): Promise<T> {
    if (!ref.connectionId) return open(ref.connectString);
    this.tunnels ??= new CliTunnels(this.store, this.actor);
    return openRouted(this.store, this.tunnels, ref, open);
  }

  private sessionOptions(ref: ZkEndpointRef): ZkSessionOptions {
    return {
      connectString: ref.connectString,
      sessionTimeoutMs: ref.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      connectTimeoutMs: ref.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      digestAuth: this.credentialsFor(ref),
    };
  }

  private credentialsFor(ref: ZkEndpointRef): string[] {
    const credentials: string[] = [];
    const fromEnv = this.envCredential;
    if (fromEnv) credentials.push(fromEnv);
    if (ref.connectionId) {
      const profile = this.store.connections.get(ref.connectionId);
      if (profile?.hasDigestAuth) {
        try {
          const saved = this.store.connections.digestAuth(ref.connectionId);
          if (saved && !credentials.includes(saved)) credentials.push(saved);
        } catch (error) {
          throw new UsageError(
            `${error instanceof Error ? error.message : String(error)} (a connection saved by the desktop app keeps its key in the OS keychain): set MDESK_ZK_AUTH=digest:user:password instead`,
          );
        }
      }
    }
    return credentials;
  }

  engineRuns(): EngineRuns {
    this.runs ??= new EngineRuns({
      store: this.store,
      actor: this.actor,
      factory: this.factory,
      exportDir: join(this.dataDir, 'exports'),
    });
    return this.runs;
  }

  /** Closes the command's SSH tunnels, then the store. */
  async close(): Promise<void> {
    const tunnels = this.tunnels;
    this.tunnels = undefined;
    await tunnels?.close();
    this.opened?.close();
    this.opened = undefined;
  }
}
