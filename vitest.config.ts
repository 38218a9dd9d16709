import { defineConfig } from 'vitest/config';

// Two projects: fast unit/protocol/sandbox tests run file-parallel; e2e tests drive the real terraform binary, which
// starts several provider processes per command, so their files run one at a time (2-core machines).
// E2e tests set their own generous per-test timeouts; the 5 s default stays for everything else.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          maxWorkers: 1,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
