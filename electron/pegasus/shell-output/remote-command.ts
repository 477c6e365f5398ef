/**
 * `remote_command [-t type | -l nodes] <cmd> [args]` and its wrappers `server_info`, `server_stat`.
 * Master prints JSON `{"command", "details": {"<host:port>": {"role", "acked", "message"}},
 * "succeed_count", "failed_count"}` where a message may itself be JSON; v2.5 and older print to
 * stderr `COMMAND: …`, one `CALL [role] [addr] succeed: …|failed: …` line per node, then `Succeed
 * count: n` and `Failed count: m` (reference §6.2). Pass stdout and stderr together.
 */
import { type ParseResult, parsed, ShellParseError, unrecognized } from './parse-result';
import { firstJson, shellLines } from './shell-text';

export interface RemoteCommandNode {
  address: string;
  /** meta-server, replica-server, or user-specified (with -l). */
  role: string;
  succeeded: boolean;
  /** The node's answer: text, or the parsed JSON when it answered JSON. */
  message: unknown;
}

export interface RemoteCommandResult {
  command: string | null;
  format: 'json' | 'text';
  nodes: RemoteCommandNode[];
  succeedCount: number;
  failedCount: number;
}

const COMMAND = 'remote_command';

function parseMaybeJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return trimmed;
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

export function parseRemoteCommand(text: string): ParseResult<RemoteCommandResult> {
  const lines = shellLines(text);
  const json = firstJson(lines)?.value as Record<string, unknown> | undefined;
  if (json && typeof json === 'object' && 'details' in json && typeof json.details === 'object') {
    const nodes = Object.entries((json.details ?? {}) as Record<string, Record<string, unknown>>).map(
      ([address, detail]): RemoteCommandNode => ({
        address,
        role: String(detail?.role ?? 'unknown'),
        succeeded: detail?.acked === true,
        message: typeof detail?.message === 'string' ? parseMaybeJson(detail.message) : detail?.message,
      }),
    );
    return parsed({
      command: typeof json.command === 'string' ? json.command : null,
      format: 'json',
      nodes,
      succeedCount: Number(json.succeed_count ?? nodes.filter((node) => node.succeeded).length),
      failedCount: Number(json.failed_count ?? nodes.filter((node) => !node.succeeded).length),
    });
  }

  let command: string | null = null;
  let succeedCount: number | null = null;
  let failedCount: number | null = null;
  const nodes: RemoteCommandNode[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const commandLine = /^COMMAND: (.*)$/.exec(line);
    const call = /^CALL \[([^\]]*)\] \[([^\]]*)\] (succeed|failed): ?(.*)$/.exec(line);
    const succeed = /^Succeed count: (\d+)/.exec(line);
    const failed = /^Failed count: (\d+)/.exec(line);
    if (commandLine) command = commandLine[1]!.trim();
    else if (call) {
      nodes.push({
        role: call[1]!,
        address: call[2]!,
        succeeded: call[3] === 'succeed',
        message: parseMaybeJson(call[4]!),
      });
    } else if (succeed) succeedCount = Number(succeed[1]);
    else if (failed) failedCount = Number(failed[1]);
  }
  if (nodes.length === 0 && succeedCount === null) {
    return unrecognized(COMMAND, lines, 'no JSON answer and no "CALL [role] [address]" lines');
  }
  return parsed({
    command,
    format: 'text',
    nodes,
    succeedCount: succeedCount ?? nodes.filter((node) => node.succeeded).length,
    failedCount: failedCount ?? nodes.filter((node) => !node.succeeded).length,
  });
}

export interface ServerInfo {
  address: string;
  role: string;
  reachable: boolean;
  /** e.g. '2.5.0' or '2.6.0-SNAPSHOT'. */
  version: string | null;
  gitCommit: string | null;
  buildType: string | null;
  startedAt: string | null;
  /** What the node said, when it is not a server-info answer (an error). */
  raw: string | null;
}

/**
 * `server_info`: per node, the version and start time. v2.5 text is `Pegasus Server 2.5.0 (sha)
 * Release, Started at 2024-03-01 09:58:12`; master answers JSON `{build_type, git_SHA, start_time,
 * version}` (`src/server/server_utils.cpp`).
 */
export function parseServerInfo(text: string): ParseResult<ServerInfo[]> {
  const result = parseRemoteCommand(text);
  if (!result.ok) {
    const { kind, message, offendingText, errorCode } = result.error;
    return { ok: false, error: new ShellParseError('server_info', kind, message, offendingText, errorCode) };
  }
  return parsed(
    result.value.nodes.map((node): ServerInfo => {
      const base = { address: node.address, role: node.role, reachable: node.succeeded };
      const message = node.message;
      if (message && typeof message === 'object') {
        const info = message as Record<string, unknown>;
        return {
          ...base,
          version: typeof info.version === 'string' ? info.version : null,
          gitCommit: typeof info.git_SHA === 'string' ? info.git_SHA : null,
          buildType: typeof info.build_type === 'string' ? info.build_type : null,
          startedAt: typeof info.start_time === 'string' ? info.start_time : null,
          raw: null,
        };
      }
      const textMessage = String(message ?? '');
      const match = /^Pegasus Server (\S+) \(([^)]*)\) (\S+?),? Started at (.+)$/.exec(textMessage);
      return match
        ? {
            ...base,
            version: match[1]!,
            gitCommit: match[2]!,
            buildType: match[3]!,
            startedAt: match[4]!.trim(),
            raw: null,
          }
        : { ...base, version: null, gitCommit: null, buildType: null, startedAt: null, raw: textMessage };
    }),
  );
}
