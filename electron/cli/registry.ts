/** Every `mdesk` command. Adding one: a file in commands/ exporting a CliCommand, and a line here. */
import type { CliCommand } from './command';
import { pegasusSummaryCommand } from './commands/pegasus-summary';
import { zkCopyCommand } from './commands/zk-copy';
import { zkDiffCommand } from './commands/zk-diff';
import { zkExportCommand } from './commands/zk-export';
import { zkImportCommand } from './commands/zk-import';
import { zkRmCommand } from './commands/zk-rm';

export const COMMANDS: readonly CliCommand[] = [
  pegasusSummaryCommand,
  zkCopyCommand,
  zkDiffCommand,
  zkExportCommand,
  zkImportCommand,
  zkRmCommand,
];
