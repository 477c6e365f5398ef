import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit (pure, fast), integration (real ZooKeeper servers started by the global
 * setup, real SQLite files), e2e (the built browser host driven by Debian's Chromium).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/zookeeper.global.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Files share one ZooKeeper pair; each test works below its own unique root.
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/zookeeper.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
