/**
 * `mdesk`: the headless CLI over the same engines the app runs (design, section 3). Results on
 * stdout, progress and errors on stderr, exit code per the command's help.
 */
import { dispatch } from './cli/dispatch';
import { COMMANDS } from './cli/registry';

dispatch(
  COMMANDS,
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
  },
  process.env,
)
  .then((code) => {
    // Sessions and timers must not keep the process alive after the result is printed.
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  })
  .catch((error: unknown) => {
    process.stderr.write(`mdesk: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
