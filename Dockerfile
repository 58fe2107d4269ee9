# Build stage: install with dev dependencies, compile, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

# Runtime stage: only the compiled app and production dependencies, run as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
RUN mkdir -p /home/node/.tatumrc && chown node:node /home/node/.tatumrc && chmod 700 /home/node/.tatumrc
USER node
# The wallet file (~/.tatumrc/wallet.dat) and the optional .env live here: mount a volume to keep them.
VOLUME ["/home/node/.tatumrc"]
ENTRYPOINT ["node", "dist/main"]
CMD ["daemon"]
