#!/usr/bin/env bash
# Runs the README's first quick-start line as a user at a terminal would: in the foreground (its own
# process group, as a terminal gives it) until the fleet says it is ready, then Ctrl-C (SIGINT to the
# whole group, as a terminal sends it). Checks that it exits 0 within 10 s and leaves no process and no
# temp dir of its run behind. Usage: quickstart-dev.sh '<command line>'
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=$1
READY_TIMEOUT=${QUICKSTART_READY_TIMEOUT:-2700}   # a cold first run builds kube-apiserver & co. from Go modules
STOP_LIMIT=10
run=ciqs$(date +%s)$RANDOM
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "quickstart: $cmd"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
FLOTILLA_HARNESS_RUN=$run setsid bash -c "$cmd" > >(tee "$log") 2>&1 &
pid=$!
until grep -q "dev fleet is up" "$log"; do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid" || true; echo "quickstart: '$cmd' exited before the fleet was ready" >&2; exit 1; fi
  if (( $(ms) - t0 > READY_TIMEOUT * 1000 )); then
    echo "quickstart: fleet not ready within ${READY_TIMEOUT}s" >&2; kill -KILL -- "-$pid" || true; exit 1
  fi
  sleep 1
done
t1=$(ms)
echo "quickstart: ready after $(( (t1 - t0) / 1000 )) s; sending SIGINT to the process group"
kill -INT -- "-$pid"
status=0
( sleep $STOP_LIMIT; kill -0 "$pid" 2>/dev/null && { echo "quickstart: still running ${STOP_LIMIT}s after SIGINT" >&2; kill -KILL -- "-$pid"; } ) &
watchdog=$!
wait "$pid" || status=$?
elapsed=$(( $(ms) - t1 ))
kill "$watchdog" 2>/dev/null || true
echo "quickstart: exited $status after ${elapsed} ms"
[ "$status" = 0 ] || { echo "quickstart: exit status $status, want 0" >&2; exit 1; }
(( elapsed < STOP_LIMIT * 1000 )) || { echo "quickstart: took ${elapsed} ms to stop, limit ${STOP_LIMIT} s" >&2; exit 1; }

# Anything of the run still alive, or a temp dir of it, fails the check (and is cleaned up).
env -u FLOTILLA_HARNESS_RUN node --input-type=module -e "
  import { cleanUpRun, describeLeaks } from '@flotilla/test';
  const leaks = await cleanUpRun('$run');
  if (leaks.processes.length || leaks.dirs.length) { console.error('quickstart: ' + describeLeaks('$run', leaks)); process.exit(1); }
  console.log('quickstart: no process and no temp dir left behind');
"
