/**
 * How to start the tools of a cluster profile, as argv (what the runners spawn) and as text to paste
 * (the manual fallback), plus a whole non-interactive session (`<<'EOF'` input) so an operator can
 * run a step's commands the way a step would, in one paste.
 */
import type { PegasusProfile, PegasusShellTool } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { adminCliLine, CommandOptionError, pegasusShellLine, posixCommand, posixQuote } from './quoting';
import { checkIpv4Address } from './generated';

export interface ToolInvocation {
  /** What to spawn: the binary first. */
  argv: string[];
  /** The working directory it needs (run.sh generates its config there), or null. */
  cwd: string | null;
}

/** The Pegasus shell of a profile: `run.sh shell --cluster <metas>` (or `-n <name>`), or `pegasus_shell <config> <cluster>`. */
export function shellInvocation(tool: PegasusShellTool, metaServers: readonly string[]): ToolInvocation {
  if (tool.kind === 'pegasus_shell') {
    return { argv: [tool.binary, tool.config, tool.clusterName], cwd: null };
  }
  const dir = tool.pegasusDir.replace(/\/+$/, '') || '/';
  if (metaServers.length > 0) {
    return { argv: [`${dir}/run.sh`, 'shell', '--cluster', metaServers.join(',')], cwd: dir };
  }
  if (tool.clusterName) return { argv: [`${dir}/run.sh`, 'shell', '-n', tool.clusterName], cwd: dir };
  throw new CommandOptionError(
    'run.sh shell needs the meta servers (for --cluster) or a cluster name (for -n): add one to the cluster profile',
  );
}

/** admin-cli of a profile: `admin-cli -m ip:port,ip:port` (it only accepts IPv4 addresses). */
export function adminCliInvocation(binary: string, metaServers: readonly string[]): ToolInvocation {
  if (metaServers.length === 0) {
    throw new CommandOptionError('admin-cli needs the meta servers (-m): add them to the cluster profile');
  }
  const metas = metaServers.map((meta) => checkIpv4Address(meta, 'admin-cli -m'));
  return { argv: [binary, '-m', metas.join(',')], cwd: null };
}

function startText(invocation: ToolInvocation): string {
  if (invocation.cwd === null) return posixCommand(invocation.argv);
  const [binary, ...args] = invocation.argv;
  const local = binary!.startsWith(`${invocation.cwd}/`)
    ? `./${binary!.slice(invocation.cwd.length + 1)}`
    : binary!;
  return `cd ${posixQuote(invocation.cwd)} && ${posixCommand([local, ...args])}`;
}

/** The command that starts the tool, to paste into a terminal on the host that has it. */
export function invocationCommand(label: string, invocation: ToolInvocation): GeneratedCommand {
  return { label, kind: 'shell', text: startText(invocation), argv: [...invocation.argv] };
}

/** The profile's shell start command, or null when it has no shell configured. */
export function profileShellCommand(profile: PegasusProfile): GeneratedCommand | null {
  if (!profile.tools.shell) return null;
  return invocationCommand(
    `Start the Pegasus shell of ${profile.name}`,
    shellInvocation(profile.tools.shell, profile.metaServers),
  );
}

/**
 * The whole session as one paste: the start command with the lines as its input, as
 * `pegasus_migrate_zookeeper.sh` does with `echo … | ./run.sh shell`. The here-document delimiter is
 * quoted, so nothing in the lines is expanded by the POSIX shell.
 */
export function sessionCommand(
  label: string,
  invocation: ToolInvocation,
  tool: 'pegasus-shell' | 'admin-cli',
  lines: readonly (readonly string[])[],
): GeneratedCommand {
  const typed = lines.map((argv) => (tool === 'pegasus-shell' ? pegasusShellLine(argv) : adminCliLine(argv)));
  let delimiter = 'MDESK_EOF';
  while (typed.includes(delimiter)) delimiter += '_';
  return {
    label,
    kind: 'shell',
    text: `${startText(invocation)} <<'${delimiter}'\n${typed.join('\n')}\n${delimiter}`,
  };
}
