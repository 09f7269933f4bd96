#!/usr/bin/env bash
# Builds the pinned control-plane binaries from Go modules into a cache outside the repository:
#   kube-apiserver, kube-controller-manager and kubectl (k8s.io/kubernetes via a wrapper module that replaces every
#   staging module with its published v0.X.Y), etcd (go.etcd.io/etcd/server/v3 via a wrapper module),
#   nats-server, helm (Helm 4), the CNCF distribution registry, and prometheus + promtool (go install; the
#   alert-rule and dashboard tests only). Idempotent; a flock makes parallel callers wait for one build.
# Prints one line per binary, plus a package counter while the long kube build runs.
set -euo pipefail

K8S_VERSION=${FLOTILLA_K8S_VERSION:-v1.35.4}
ETCD_VERSION=${FLOTILLA_ETCD_VERSION:-v3.6.16}
NATS_VERSION=${FLOTILLA_NATS_VERSION:-v2.12.15}
HELM_VERSION=${FLOTILLA_HELM_VERSION:-v4.3.2}
REGISTRY_VERSION=${FLOTILLA_REGISTRY_VERSION:-v3.1.2}
PROMETHEUS_VERSION=${FLOTILLA_PROMETHEUS_VERSION:-v0.316.0}
CACHE=${FLOTILLA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flotilla}

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false

KUBE_DIR=$CACHE/kubernetes-$K8S_VERSION
ETCD_DIR=$CACHE/etcd-$ETCD_VERSION
NATS_DIR=$CACHE/nats-server-$NATS_VERSION
HELM_DIR=$CACHE/helm-$HELM_VERSION
REGISTRY_DIR=$CACHE/registry-$REGISTRY_VERSION
PROMETHEUS_DIR=$CACHE/prometheus-$PROMETHEUS_VERSION

if [ "${1:-}" = "--print-dirs" ]; then
  printf 'KUBE_DIR=%s\nETCD_DIR=%s\nNATS_DIR=%s\nHELM_DIR=%s\nREGISTRY_DIR=%s\nPROMETHEUS_DIR=%s\n' \
    "$KUBE_DIR" "$ETCD_DIR" "$NATS_DIR" "$HELM_DIR" "$REGISTRY_DIR" "$PROMETHEUS_DIR"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/build.lock"
if ! flock -n 9; then
  echo "flotilla: another process is building the control-plane binaries; waiting for it..." >&2
  flock 9
fi

log() { printf '[flotilla build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Waits for a `go build -v` / `go install -v` in the background (pid $3) writing to $2, printing a running
# count of compiled packages instead of every name.
wait_counted() {
  local label=$1 logfile=$2 pid=$3 last=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    local n; n=$(wc -l < "$logfile")
    if [ "$n" != "$last" ]; then log "$label: $n packages compiled so far"; last=$n; fi
  done
  if ! wait "$pid"; then
    log "$label: build FAILED; last lines of $logfile:"; tail -n 40 "$logfile" >&2; return 1
  fi
}

go_build_counted() {
  local label=$1 logfile=$2; shift 2
  go build -v "$@" > "$logfile" 2>&1 &
  wait_counted "$label" "$logfile" $!
}

build_kube() {
  [ -x "$KUBE_DIR/kube-apiserver" ] && [ -x "$KUBE_DIR/kube-controller-manager" ] && [ -x "$KUBE_DIR/kubectl" ] && return 0
  local t0=$SECONDS src="$KUBE_DIR.src"
  log "kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION: first build (cold: ~300-400 MB of modules, 4-30 min on 2 cores)"
  rm -rf "$src"; mkdir -p "$src"
  local gomod; gomod=$(cd "$src" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$gomod" ] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; return 1; }
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local staging="v0.${K8S_VERSION#v1.}"
  {
    echo "module flotilla.dev/harness/kubernetes"
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug ' "$gomod" || true
    echo "require k8s.io/kubernetes $K8S_VERSION"
    # every staging module is required at v0.0.0 upstream; use its published version instead
    grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$gomod" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
  } > "$src/go.mod"
  cat > "$src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  log "resolving modules (go mod tidy; downloads on the first run)"
  (cd "$src" && go mod tidy >/dev/null 2>"$src/tidy.log") || { tail -n 30 "$src/tidy.log" >&2; return 1; }
  local pkg=k8s.io/component-base/version cpkg=k8s.io/client-go/pkg/version
  local date; date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ldflags="-s -w"
  for p in $pkg $cpkg; do
    ldflags="$ldflags -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  mkdir -p "$src/out"
  (cd "$src" && go_build_counted "kube-apiserver+kube-controller-manager+kubectl" "$src/build.log" \
      -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldflags" -o ./out/ \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
  mkdir -p "$KUBE_DIR"
  mv "$src/out/kube-apiserver" "$src/out/kube-controller-manager" "$src/out/kubectl" "$KUBE_DIR/"
  cp "$src/go.mod" "$src/go.sum" "$KUBE_DIR/"
  rm -rf "$src"
  log "kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION built in $((SECONDS - t0)) s"
}

build_etcd() {
  [ -x "$ETCD_DIR/etcd" ] && return 0
  local t0=$SECONDS src="$ETCD_DIR.src"
  log "etcd $ETCD_VERSION: first build (~1-3 min)"
  rm -rf "$src"; mkdir -p "$src"
  printf 'module flotilla.dev/harness/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$src/tools.go"
  (cd "$src" && go mod tidy >/dev/null 2>"$src/tidy.log") || { tail -n 30 "$src/tidy.log" >&2; return 1; }
  (cd "$src" && go_build_counted etcd "$src/build.log" -trimpath -ldflags "-s -w" -o ./etcd go.etcd.io/etcd/server/v3)
  mkdir -p "$ETCD_DIR"; mv "$src/etcd" "$ETCD_DIR/etcd"; rm -rf "$src"
  log "etcd $ETCD_VERSION built in $((SECONDS - t0)) s"
}

build_nats() {
  [ -x "$NATS_DIR/nats-server" ] && return 0
  local t0=$SECONDS
  log "nats-server $NATS_VERSION: first build (~1 min)"
  mkdir -p "$NATS_DIR.tmp"
  GOBIN="$NATS_DIR.tmp" go install -trimpath -ldflags "-s -w" "github.com/nats-io/nats-server/v2@$NATS_VERSION"
  mkdir -p "$NATS_DIR"; mv "$NATS_DIR.tmp/nats-server" "$NATS_DIR/"; rm -rf "$NATS_DIR.tmp"
  log "nats-server $NATS_VERSION built in $((SECONDS - t0)) s"
}

# `go install` of one module into DIR/NAME, with a version ldflag when the program reads one.
go_install_into() {
  local label=$1 dir=$2 name=$3 module=$4 ldflags=$5
  [ -x "$dir/$name" ] && return 0
  local t0=$SECONDS
  log "$label: first build (~1-3 min)"
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -v -trimpath -ldflags "-s -w $ldflags" "$module" > "$dir.tmp/build.log" 2>&1 &
  wait_counted "$label" "$dir.tmp/build.log" $!
  mkdir -p "$dir"; mv "$dir.tmp/$name" "$dir/"; rm -rf "$dir.tmp"
  log "$label built in $((SECONDS - t0)) s"
}

build_helm() {
  go_install_into "helm $HELM_VERSION" "$HELM_DIR" helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" \
    "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
}

build_registry() {
  go_install_into "registry (distribution) $REGISTRY_VERSION" "$REGISTRY_DIR" registry \
    "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION" ""
}

# Both programs of one module version in one `go install` (they share most packages). The Go module tag
# v0.3XX.Y is Prometheus 3.XX.Y; `prometheus --version` reads prometheus/common's version variables. No
# `builtinassets` tag: the tests use the HTTP API, not the web UI.
build_prometheus() {
  [ -x "$PROMETHEUS_DIR/prometheus" ] && [ -x "$PROMETHEUS_DIR/promtool" ] && return 0
  local t0=$SECONDS v=${PROMETHEUS_VERSION#v0.}
  local release="${v:0:1}.${v:1:2}.${v#*.}"  # 316.0 -> 3.16.0
  local p=github.com/prometheus/common/version
  log "prometheus+promtool $PROMETHEUS_VERSION (Prometheus $release): first build (~5-10 min, ~140 modules)"
  rm -rf "$PROMETHEUS_DIR.tmp"; mkdir -p "$PROMETHEUS_DIR.tmp"
  GOBIN="$PROMETHEUS_DIR.tmp" go install -v -trimpath \
      -ldflags "-s -w -X $p.Version=$release -X $p.Branch=HEAD -X $p.BuildUser=flotilla -X $p.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)" \
      "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION" \
      "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION" > "$PROMETHEUS_DIR.tmp/build.log" 2>&1 &
  wait_counted "prometheus+promtool $PROMETHEUS_VERSION" "$PROMETHEUS_DIR.tmp/build.log" $!
  mkdir -p "$PROMETHEUS_DIR"; mv "$PROMETHEUS_DIR.tmp/promtool" "$PROMETHEUS_DIR.tmp/prometheus" "$PROMETHEUS_DIR/"
  rm -rf "$PROMETHEUS_DIR.tmp"
  log "prometheus+promtool $PROMETHEUS_VERSION built in $((SECONDS - t0)) s"
}

what=${1:-all}
case $what in
  all) build_nats; build_etcd; build_kube; build_helm ;;
  nats) build_nats ;; etcd) build_etcd ;; kube) build_kube ;; helm) build_helm ;; registry) build_registry ;;
  prometheus) build_prometheus ;;
  *) echo "usage: $0 [all|nats|etcd|kube|helm|registry|prometheus|--print-dirs]" >&2; exit 2 ;;
esac
