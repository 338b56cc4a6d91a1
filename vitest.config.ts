import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node against the real core: real SQLite files,
// the real OS keychain (inside the D-Bus session that scripts/test.mjs provides) and real
// HTTP to the embedded sandbox on loopback.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more workers than that only adds contention to the HTTP tests.
    maxWorkers: 2,
  },
});
