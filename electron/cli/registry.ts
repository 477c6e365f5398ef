/** Every `mdesk` command. Adding one: a file in commands/ exporting a CliCommand, and a line here. */
import type { CliCommand } from './command';
import { metaproxyListCommand } from './commands/metaproxy-list';
import { metaproxyRollbackCommand } from './commands/metaproxy-rollback';
import { metaproxySwitchCommand } from './commands/metaproxy-switch';
import { pegasusSummaryCommand } from './commands/pegasus-summary';
import { runCommand } from './commands/run';
import { runbooksCommand } from './commands/runbooks';
import {
  runsAbortCommand,
  runsListCommand,
  runsReportCommand,
  runsResumeCommand,
  runsRetryCommand,
  runsShowCommand,
  runsSkipCommand,
} from './commands/runs';
import { zkCopyCommand } from './commands/zk-copy';
import { zkDiffCommand } from './commands/zk-diff';
import { zkExportCommand } from './commands/zk-export';
import { zkImportCommand } from './commands/zk-import';
import { zkRmCommand } from './commands/zk-rm';

export const COMMANDS: readonly CliCommand[] = [
  metaproxyListCommand,
  metaproxySwitchCommand,
  metaproxyRollbackCommand,
  pegasusSummaryCommand,
  runbooksCommand,
  runCommand,
  runsListCommand,
  runsShowCommand,
  runsResumeCommand,
  runsRetryCommand,
  runsSkipCommand,
  runsAbortCommand,
  runsReportCommand,
  zkCopyCommand,
  zkDiffCommand,
  zkExportCommand,
  zkImportCommand,
  zkRmCommand,
];
