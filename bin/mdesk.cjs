#!/usr/bin/env node
/**
 * `mdesk`: runs the bundled CLI (dist/electron/cli.cjs). In a checkout it builds first when the
 * bundle is missing or older than the sources (scripts/ensure-build.mjs), so `npx mdesk` works
 * straight after `npm install` and after every `git pull`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'electron', 'cli.cjs');
const ensureBuild = join(root, 'scripts', 'ensure-build.mjs');

function build(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('mdesk: the build failed; see the messages above.\n');
    process.exit(1);
  }
}

if (existsSync(ensureBuild)) {
  if (!existsSync(bundle)) {
    process.stderr.write(
      'Building Migration Desk (takes a few seconds; done again only when sources change)...\n',
    );
    build([join(root, 'scripts', 'build.mjs'), '--quiet']);
  } else {
    // ensure-build is an ES module: run it in a child, it rebuilds only when sources changed.
    build([
      '--input-type=module',
      '-e',
      `import(${JSON.stringify(ensureBuild)}).then((m) => m.ensureBuild())`,
    ]);
  }
}
require(bundle);
