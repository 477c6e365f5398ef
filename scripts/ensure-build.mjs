/**
 * Builds the app when dist/ is missing or older than any source file, so `npm start` and
 * `npm run web` work straight after `npm install` and after every `git pull`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['electron', 'renderer', 'shared', 'package.json', 'package-lock.json'];
const OUTPUTS = [
  'dist/electron/host.cjs',
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/renderer/index.html',
];

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function ensureBuild() {
  const outputs = OUTPUTS.map((file) => join(root, file));
  const missing = outputs.some((file) => !existsSync(file));
  const sourceTime = Math.max(
    ...SOURCES.map((file) => join(root, file))
      .filter(existsSync)
      .map(newestMtime),
  );
  const builtTime = missing ? 0 : Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  if (!missing && builtTime >= sourceTime) return;
  process.stderr.write(
    'Building Migration Desk (takes a few seconds; done again only when sources change)...\n',
  );
  const result = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n');
    process.exit(1);
  }
}
