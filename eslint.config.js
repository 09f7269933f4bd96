import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { architecture } from "./architecture.eslint.js";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  ...architecture,
);
