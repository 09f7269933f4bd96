import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard's page: Preact (about 4 KiB gzipped) and plain CSS, no external fonts or CDNs.
// Built into hub/dist/web, which `flotilla dashboard` serves (hub/src/dashboard/static.ts).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // an inline polyfill script would need 'unsafe-inline' in the page's Content-Security-Policy
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
