// The package and layer boundaries (ARCHITECTURE.md), as lint rules. test/src/architecture proves that
// each one fires. "Static" is an import declaration (or export … from); "dynamic" is `import()`.
//
// - shared imports neither hub, agent nor the test harness: it is what both sides stand on.
// - the agent never imports the hub, the harness or a CLI framework: its image carries only agent/ and
//   shared/, and every module it loads costs memory on the edge.
// - nothing outside test/ imports the harness statically; only the CLI's commands load it (and the
//   agent) with import(), when `flotilla dev` (or `flotilla agent`) runs, so the hub process never does.
// - the dashboard's page (hub/web) takes only types from the hub and shared: their code would be
//   bundled into the browser (and shared's index loads the Kubernetes client).
// - inside the hub, the lower layers (configcrd, credentials, render, revision, rollout, charts, kube, api, imagepolicy) never
//   import controllers or session.

const pkg = (name) => [{ regex: `^@flotilla/${name}(/.*)?$`, message: `@flotilla/${name} is outside this package's boundary (ARCHITECTURE.md)` }];
const escape = (dir) => [{ regex: `(^|/)${dir}/src(/|$)`, message: `reaching into ${dir}/src by path crosses a package boundary` }];
const layer = (dir) => [{ regex: `(^|/)${dir}(/|$)`, message: `hub/src/${dir} is a higher layer; configcrd, credentials, render, revision, rollout, charts, kube, api and imagepolicy must not depend on it` }];

const staticRule = (...patterns) => ["error", { patterns: patterns.flat() }];
// esquery has no escape for "/" inside a regex, so "." stands in for it.
const dynamicRule = (...names) => [
  "error",
  ...names.map((name) => ({
    selector: `ImportExpression[source.value=/^@flotilla.${name}($|.)/]`,
    message: `import("@flotilla/${name}") is outside this package's boundary (ARCHITECTURE.md)`,
  })),
];

const HUB_LOWER = ["hub/src/configcrd/**/*.ts", "hub/src/credentials/**/*.ts", "hub/src/render/**/*.ts", "hub/src/revision/**/*.ts", "hub/src/rollout/**/*.ts", "hub/src/charts/**/*.ts", "hub/src/kube/**/*.ts", "hub/src/api/**/*.ts", "hub/src/imagepolicy/**/*.ts"];

export const architecture = [
  {
    files: ["shared/src/**/*.ts"],
    rules: {
      "no-restricted-imports": staticRule(pkg("hub"), pkg("agent"), pkg("test"), escape("hub"), escape("agent"), escape("test")),
      "no-restricted-syntax": dynamicRule("hub", "agent", "test"),
    },
  },
  {
    files: ["agent/src/**/*.ts"],
    rules: {
      "no-restricted-imports": staticRule(pkg("hub"), pkg("test"), escape("hub"), escape("test"), [{ regex: "^commander$", message: "the agent parses its flags with node:util (no CLI framework in the agent image)" }]),
      "no-restricted-syntax": dynamicRule("hub", "test"),
    },
  },
  {
    files: ["hub/src/**/*.ts"],
    ignores: ["hub/src/cli/**", ...HUB_LOWER],
    rules: {
      "no-restricted-imports": staticRule(pkg("agent"), pkg("test"), escape("agent"), escape("test")),
      "no-restricted-syntax": dynamicRule("agent", "test"),
    },
  },
  {
    files: ["hub/src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": staticRule(pkg("agent"), pkg("test"), escape("agent"), escape("test")),
    },
  },
  {
    files: HUB_LOWER,
    rules: {
      "no-restricted-imports": staticRule(pkg("agent"), pkg("test"), escape("agent"), escape("test"), layer("controllers"), layer("session")),
      "no-restricted-syntax": dynamicRule("agent", "test"),
    },
  },
  {
    files: ["hub/web/**/*.ts", "hub/web/**/*.tsx"],
    ignores: ["hub/web/vite.config.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        patterns: [
          { regex: "(^|/)src/", allowTypeImports: true, message: "the page takes only types from hub/src (import type): its code would be bundled into the browser" },
          { regex: "^@flotilla/", allowTypeImports: true, message: "the page takes only types from @flotilla packages (import type): their code would be bundled into the browser" },
        ],
      }],
    },
  },
];
