# syntax=docker/dockerfile:1
# The Flotilla hub image: `flotilla hub` (leader-elected controllers, deploy/rbac/hub.yaml) and the pinned
# Helm 4 it renders chart sources with. Build from the repository root:
#   docker build -f deploy/docker/hub.Dockerfile -t flotilla-hub .
# What it holds and why: deploy/docker/README.md.
#
# Base images are pinned by the digest of their multi-arch index. These digests were taken from public
# Dockerfiles and dependency-update pull requests that pin the same tags; they were NOT pulled where this
# file was written (no Docker engine there). Check or refresh one with
#   docker buildx imagetools inspect <image>:<tag>
# and change it here and in agent.Dockerfile together.
ARG GO_IMAGE=golang:1.26.2-bookworm@sha256:47ce5636e9936b2c5cbf708925578ef386b4f8872aec74a67bd13a627d242b19
ARG NODE_BUILD_IMAGE=node:22.22-bookworm-slim@sha256:e21fc383b50d5347dc7a9f1cae45b8f4e2f0d39f7ade28e4eef7d2934522b752
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e

# Helm, built from its Go module exactly as test/harness/go/build-binaries.sh builds the one the tests
# use (same version, same version ldflag), static (CGO off) so it needs nothing from the runtime image.
FROM ${GO_IMAGE} AS helm
ARG HELM_VERSION=v4.3.2
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOBIN=/out go install -trimpath \
      -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}" \
      "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}" \
 && /out/helm version --short

# Build and lay out the production tree with the script the tests run (test/src/e2e/images.test.ts).
FROM ${NODE_BUILD_IMAGE} AS build
WORKDIR /src
# the manifests first, so the dependency layer is rebuilt only when they change
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY agent/package.json agent/
COPY hub/package.json hub/
COPY test/package.json test/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN --mount=type=cache,target=/root/.npm node deploy/docker/build-tree.mjs hub --out /out

# Distroless: Node and the CA bundle, no shell, no npm, no package manager.
FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="flotilla-hub" \
      org.opencontainers.image.description="Flotilla hub: multi-cluster, hub-and-spoke addon manager for Kubernetes (controllers, rollout planner, Helm 4 renderer)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
COPY --from=helm /out/helm /usr/local/bin/helm
COPY --from=build /out /app
WORKDIR /app
# numeric, so a Pod's runAsNonRoot can check it; the tree stays root-owned and read-only to the process
USER 65532:65532
# /metrics, /healthz, /readyz (--metrics-addr)
EXPOSE 9090
ENTRYPOINT ["/nodejs/bin/node", "/app/hub/bin/flotilla.js", "hub"]
