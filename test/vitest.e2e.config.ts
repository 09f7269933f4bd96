import { defineConfig } from "vitest/config";

// Integration and end-to-end tests: real kube-apiserver/etcd/nats-server processes, one file at a time.
export default defineConfig({
  test: {
    include: ["src/integration/**/*.test.ts", "src/e2e/**/*.test.ts"],
    globalSetup: ["./src/setup/e2e-global-setup.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
