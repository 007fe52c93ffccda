# syntax=docker/dockerfile:1
# The logpulse receiver. Build: docker build -t logpulse .   Run: docker run logpulse run --help
# Node 22 is the current LTS line; bookworm-slim because chDB's prebuilt engine needs glibc.

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` builds, and the sources are not copied yet.
# No dependency needs an install script (chdb's engine comes prebuilt in @chdb/lib-*).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# receiver/ without its tests (.dockerignore): src and bench are what tsconfig.build.json compiles.
COPY receiver ./receiver
COPY grafana/src ./grafana/src
RUN npm run build

# ---- production dependencies only ----
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOGPULSE_DATA_DIR=/var/lib/logpulse
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The start-up migration applies clickhouse/schema.sql.
COPY clickhouse ./clickhouse
# Created here, owned by the runtime user, so that named volumes mounted on them start writable.
RUN mkdir -p /var/lib/logpulse /logs && chown node:node /var/lib/logpulse /logs
USER node
VOLUME ["/var/lib/logpulse"]
# /metrics, /healthz, /readyz
EXPOSE 9464
ENTRYPOINT ["node", "dist/receiver/src/cli/main.js"]
CMD ["run", "--help"]
