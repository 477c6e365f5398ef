#!/usr/bin/env node
/**
 * Builds everything the app runs: the renderer (vite) into dist/renderer, and the Electron main,
 * preload and core host (esbuild) into dist/electron. Only better-sqlite3 (native) and electron stay
 * outside the bundles. `--quiet` prints nothing unless something fails.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');

const vite = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    ...(quiet ? ['--logLevel', 'error'] : []),
  ],
  {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit',
  },
);
if (vite.status !== 0) {
  if (quiet && vite.stdout) process.stderr.write(vite.stdout);
  process.stderr.write('renderer build failed\n');
  process.exit(1);
}

rmSync(join(root, 'dist/electron'), { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // ssh2's native add-ons (its crypto binding, cpu-features) are optional: it loads them in a
  // try/catch and falls back to pure JavaScript, so they stay out of the bundle and the package.
  external: ['electron', 'better-sqlite3', 'cpu-features', '*.node'],
  logLevel: quiet ? 'error' : 'info',
};
await build({
  ...common,
  entryPoints: {
    cli: 'electron/cli.ts',
    host: 'electron/host/host-cli.ts',
    main: 'electron/main.ts',
    preload: 'electron/preload.ts',
  },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
});
