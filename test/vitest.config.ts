import { defineConfig } from "vitest/config";

// Unit tests: pure and fast, no processes. Integration and end-to-end tests run with vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/integration/**", "src/e2e/**", "**/node_modules/**", "dist/**"],
  },
});
