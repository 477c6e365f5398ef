#!/usr/bin/env node
/**
 * `npm start`: the Electron app. Where the Electron binary is missing and cannot be fetched (no
 * network, an unsupported platform, a CI box), say so in one line and start the browser host.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureBuild, root } from './ensure-build.mjs';

const require = createRequire(import.meta.url);

/** The Electron executable, fetching it once if the package is there without its binary. */
function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { error: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const present = () =>
    existsSync(pathFile) && existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8')));
  if (!present()) {
    const fetch = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
      stdio: 'pipe',
      timeout: 180_000,
    });
    if (fetch.status !== 0 || !present()) return { error: 'its binary could not be downloaded' };
  }
  return { path: join(packageDir, 'dist', readFileSync(pathFile, 'utf8')) };
}

ensureBuild();
const electron = electronBinary();
if (electron.error) {
  process.stderr.write(
    `Electron is not available here (${electron.error}); starting the browser host instead.\n`,
  );
  const web = spawn(process.execPath, [join(root, 'scripts/web.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => web.kill(signal));
  web.on('exit', (code) => process.exit(code ?? 0));
} else {
  const app = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
  app.on('exit', (code) => process.exit(code ?? 0));
}
