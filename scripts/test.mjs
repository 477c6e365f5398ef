#!/usr/bin/env node
/**
 * `npm test`: typecheck, lint, build, then every vitest project (unit, integration against real
 * ZooKeeper servers, end-to-end in Chromium). Ends with one line `N passed, N failed`, counting
 * each test plus each of the three checks. Extra arguments go to vitest (e.g. `--project unit`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './ensure-build.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;

function check(title, command, args) {
  process.stdout.write(`\n== ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(
    `== ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  if (ok) passed += 1;
  else failed += 1;
  return ok;
}

check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('lint', bin('biome'), ['check', '--diagnostic-level=error', '.']);
const built = check('build', process.execPath, [join(root, 'scripts/build.mjs'), '--quiet']);

const report = join(artifacts, 'vitest-report.json');
rmSync(report, { force: true });
process.stdout.write('\n== vitest\n');
const vitestArgs = [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
if (!built) vitestArgs.push('--project', 'unit', '--project', 'integration');
const vitest = spawnSync(bin('vitest'), vitestArgs, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MDESK_TEST_ARTIFACTS: artifacts },
});

if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numPendingTests + results.numTodoTests;
  // A suite that failed to load (syntax error, global setup error) has no tests to count.
  const brokenSuites = results.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  );
  failed += brokenSuites.length;
  if (vitest.status !== 0 && results.numFailedTests === 0 && brokenSuites.length === 0) failed += 1;
} else {
  process.stdout.write('vitest wrote no report: counting the run as one failure\n');
  failed += 1;
}
if (!built) process.stdout.write('end-to-end tests were not run because the build failed\n');

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
