# syntax=docker/dockerfile:1
# The same Node.js line as .ci/run tests on (24 LTS), pinned to one release of Debian's slim image.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# Build stage: exactly the committed lock with dev dependencies (as .ci/run installs), then compile.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# Runtime stage: the compiled app and production dependencies only (no compiler, linter or test tools),
# tini as PID 1 (forwards signals, reaps children), run as the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /home/node/.tatumrc && chown node:node /home/node/.tatumrc && chmod 700 /home/node/.tatumrc
USER node
# The wallet file (~/.tatumrc/wallet.dat) and the optional .env live here: mount a volume to keep them.
VOLUME ["/home/node/.tatumrc"]
# On SIGTERM the daemon finishes the transactions in flight (a SOL or FLOW submission waits for its
# confirmation, up to 120 s) and exits 0: give it that long, `docker stop -t 150` / stop_grace_period.
STOPSIGNAL SIGTERM
# Healthy while the daemon's /readyz answers 200. It needs the operations endpoint: set
# TATUM_KMS_METRICS_PORT (the probe reads it); without it there is nothing to probe and it reports healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "dist/apps/kms/src/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/main"]
CMD ["daemon"]
