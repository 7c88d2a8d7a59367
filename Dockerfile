# syntax=docker/dockerfile:1
#
# API Sessions service image. Also runs the demo traffic generator and the secrets generator (docker-compose's `demo`
# and `secrets` services). The service runs as compiled JavaScript (`npm run build:service`: one esbuild bundle per
# entry point in dist-service/), with plain node — no TypeScript compiler at run time:
#   docker build -t api-sessions:local .
#   docker run --rm -p 8080:8080 -e OPENSEARCH_URL=http://<host>:9200 -e INGEST_TOKENS=… -e QUERY_TOKENS=… \
#     -e SESSION_SECRET=… api-sessions:local

# Build stage: esbuild bundles backend/src/main.ts, backend/demo/cli.ts and backend/deploy/secrets.ts. The
# production dependencies are enough for that: esbuild comes with tsx (a dependency, for `npm run import`).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY backend ./backend
RUN npx --no-install esbuild main=backend/src/main.ts demo=backend/demo/cli.ts secrets=backend/deploy/secrets.ts \
      --bundle --platform=node --target=node20 --format=cjs --packages=external --sourcemap --log-level=warning \
      --outdir=dist-service

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Runtime dependencies only (express, the OpenSearch client, pino, prom-client, yaml, zod; tsx comes along as a
# dependency but nothing here runs it): the devDependencies are the Grafana plugin and test toolchain (~850 MB). None
# of the runtime packages needs its install scripts.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY --from=build /app/dist-service ./dist-service
# Data the compose file points at: the demo's session rules and its OpenAPI specs (the seed of SPECS_DIR below).
COPY backend/demo/session-rules.yaml ./backend/demo/session-rules.yaml
COPY backend/demo/specs ./backend/demo/specs

# Writable folders of the unprivileged user `node` the service runs as: /app/.data (e.g. a spool:
# SPOOL_DIR=/app/.data/spool) and /app/.data/specs, the default SPECS_DIR — seeded with the demo's specs; spec uploads
# (POST /v1/specs) write new versions there. Mount a volume on /app/.data to keep both across container re-creation
# (Docker copies this content into a new named volume).
RUN mkdir -p /app/.data/specs \
 && cp -r /app/backend/demo/specs/. /app/.data/specs/ \
 && chown -R node:node /app/.data

# Defaults of the container; everything else comes from the environment (see docs/configuration.md).
ENV PORT=8080 \
    HOST=0.0.0.0 \
    SPECS_DIR=/app/.data/specs
EXPOSE 8080

# The official image's unprivileged user.
USER node

# node:20-slim has no curl/wget: probe /healthz with Node's own fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "--enable-source-maps", "dist-service/main.js"]
