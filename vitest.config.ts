import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // End-to-end tests build into their own temporary folders; two workers fit this 2-core machine.
    maxWorkers: 2,
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
