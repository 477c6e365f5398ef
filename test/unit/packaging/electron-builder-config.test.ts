/**
 * `npm run dist` cannot run here (no Electron download), so the packaging config is checked against
 * electron-builder's own schema, and against what the app needs at run time.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

interface BuilderConfig {
  files?: unknown;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
  extraMetadata?: { main?: string };
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig } = require('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, file: string, options: null): Promise<BuilderConfig>;
  };
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('targets Linux AppImage and deb, macOS dmg and Windows nsis', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('ships the bundles, rebuilds better-sqlite3 only when packaging, and unpacks it from the asar', async () => {
    const config = await loadConfig();
    expect(config.extraMetadata?.main).toBe('dist/electron/main.cjs');
    expect(JSON.stringify(config.files)).toContain('dist/**/*');
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack?.some((pattern) => pattern.includes('better-sqlite3'))).toBe(true);
    const pkg = require(join(root, 'package.json')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    // No install-time rebuild for Electron: npm install must work where Electron cannot be fetched.
    expect(Object.keys(pkg.scripts).filter((name) => /install/.test(name))).toEqual([]);
    expect(JSON.stringify(pkg.scripts)).not.toMatch(/electron-rebuild|install-app-deps/);
    expect(Object.keys(pkg.dependencies)).toEqual(['better-sqlite3']);
  });
});
