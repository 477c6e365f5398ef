/** Command-line options of the browser host (`npm run web -- ...`). */

export interface BrowserArgs {
  port?: number;
  open: boolean;
  dataDir?: string;
  rendererDir?: string;
}

const USAGE = 'usage: npm run web -- [--port N] [--no-open] [--data-dir DIR]';

export function parseBrowserArgs(argv: string[]): BrowserArgs {
  const args: BrowserArgs = { open: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      i += 1;
      return next;
    };
    if (arg === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port < 1 || port > 65535)
        throw new Error(`--port '${text}' is not a port (1-65535)\n${USAGE}`);
      args.port = port;
    } else if (arg === '--no-open') args.open = false;
    else if (arg === '--data-dir') args.dataDir = value();
    else if (arg === '--renderer-dir') args.rendererDir = value();
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option '${arg}'\n${USAGE}`);
  }
  return args;
}
