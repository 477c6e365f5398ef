#!/usr/bin/env node
/** `npm run web -- [--port N] [--no-open] [--data-dir DIR]`: the browser host. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuild, root } from './ensure-build.mjs';

ensureBuild();
const child = spawn(process.execPath, [join(root, 'dist/electron/host.cjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
