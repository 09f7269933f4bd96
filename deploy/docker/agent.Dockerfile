# syntax=docker/dockerfile:1
# The Flotilla agent image: `flotilla-agent`, the agent's lean entry, running its esbuild bundle (agent
# and shared, with every dependency it uses, in one file; agent/README.md, "Memory"). No hub, no test
# harness, no node_modules. Build from the repository root:
#   docker build -f deploy/docker/agent.Dockerfile -t flotilla-agent .
# What it holds and why: deploy/docker/README.md.
#
# Base images are pinned by the digest of their multi-arch index. These digests were taken from public
# Dockerfiles and dependency-update pull requests that pin the same tags; they were NOT pulled where this
# file was written (no Docker engine there). Check or refresh one with
#   docker buildx imagetools inspect <image>:<tag>
# and change it here and in hub.Dockerfile together.
ARG NODE_BUILD_IMAGE=node:22.22-bookworm-slim@sha256:e21fc383b50d5347dc7a9f1cae45b8f4e2f0d39f7ade28e4eef7d2934522b752
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e

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
RUN node deploy/docker/build-tree.mjs agent --out /out

# Distroless: Node and the CA bundle, no shell, no npm, no package manager.
FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="flotilla-agent" \
      org.opencontainers.image.description="Flotilla agent: applies, prunes and health-checks the addons the Flotilla hub desires for this cluster" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
COPY --from=build /out /app
WORKDIR /app
# numeric, so a Pod's runAsNonRoot can check it; the tree stays root-owned and read-only to the process
USER 65532:65532
# /metrics, /healthz, /readyz (--metrics-addr)
EXPOSE 9091
# The Node flags are those of the first line of agent/bin/flotilla-agent.js (there is no /usr/bin/env to
# read that line here); test/src/e2e/images.test.ts checks that the two agree.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=1", "/app/agent/bin/flotilla-agent.js"]
