#!/usr/bin/env bash
# Prints the commands of the README's quick start (the ```sh block under "## Quick start"), one per line,
# without their comments, so CI runs exactly what a new user is told to run.
set -euo pipefail
cd "$(dirname "$0")/.."
awk '
  /^## Quick start/ { section = 1; next }
  section && /^## / { exit }
  section && /^```sh/ { block = 1; next }
  block && /^```/ { exit }
  block { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }
' README.md
