/**
 * Picks the command from the leading words, parses its flags (plus the ones every command takes),
 * runs it, and turns errors into a message and an exit code. No stack traces for operators: a usage
 * error prints the usage, anything else its message.
 */
import { parseArgs, usageText } from './args';
import { type CliCommand, EXIT, type FlagSpec, stringFlag, UsageError } from './command';
import { CliContext, type CliIo } from './context';

const COMMON_FLAGS: readonly FlagSpec[] = [
  {
    name: 'data-dir',
    kind: 'string',
    value: 'DIR',
    help: 'the store runs are recorded in (default ~/.migration-desk)',
  },
  { name: 'help', kind: 'boolean', help: 'show this help' },
];

function overview(commands: readonly CliCommand[]): string {
  const lines = ['Usage: mdesk <command> [arguments] [options]', '', 'Commands:'];
  for (const command of commands) {
    lines.push(`  ${`${command.words.join(' ')} ${command.usage}`.padEnd(24)} ${command.summary}`);
  }
  lines.push('', 'Every command takes --data-dir DIR and --help.');
  return lines.join('\n');
}

function find(commands: readonly CliCommand[], argv: readonly string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const command of commands) {
    const matches = command.words.every((word, index) => argv[index] === word);
    if (matches && (!best || command.words.length > best.words.length)) best = command;
  }
  return best;
}

export async function dispatch(
  commands: readonly CliCommand[],
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const command = find(commands, argv);
  if (!command) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    if (!asked)
      io.stderr(
        `Unknown command: mdesk ${argv
          .filter((arg) => !arg.startsWith('-'))
          .slice(0, 2)
          .join(' ')}\n\n`,
      );
    io.stderr(`${overview(commands)}\n`);
    return asked ? EXIT.ok : EXIT.usage;
  }
  const specs = [...command.flags, ...COMMON_FLAGS];
  const usage = () =>
    `${usageText(command.words, command.usage, specs)}${command.details ? `\n\n${command.details}` : ''}\n`;
  let context: CliContext | undefined;
  try {
    const args = parseArgs(argv.slice(command.words.length), specs);
    if (args.flags.help === true) {
      io.stdout(usage());
      return EXIT.ok;
    }
    context = new CliContext(io, env, stringFlag(args, 'data-dir'));
    return await command.run(context, args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`mdesk ${command.words.join(' ')}: ${error.message}\n\n${usage()}`);
      return EXIT.usage;
    }
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`mdesk ${command.words.join(' ')}: ${message}\n`);
    return name === 'RunRefusedError' || name === 'DuplicateRunIdError' ? EXIT.usage : EXIT.failed;
  } finally {
    await context?.close();
  }
}
