# syntax=docker/dockerfile:1
#
# API Sessions service image. Also runs the demo traffic generator (docker-compose's `demo` service).
# The service is TypeScript run directly with tsx, exactly like `npm run service`:
#   docker build -t api-sessions:local .
#   docker run --rm -p 8080:8080 -e OPENSEARCH_URL=http://<host>:9200 -e INGEST_TOKENS=… -e QUERY_TOKENS=… \
#     -e SESSION_SECRET=… api-sessions:local
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Runtime dependencies only (express, the OpenSearch client, pino, yaml, zod): the devDependencies are the Grafana
# plugin and test toolchain (~850 MB) and are not needed here. None of the runtime packages has install scripts.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# tsx runs the TypeScript sources. It is a devDependency of the repository, so install the version pinned in the
# lock file on its own (globally: /usr/local/bin/tsx), not via `npx`, which could try to download at start-up.
RUN TSX_VERSION="$(node -p "require('./package-lock.json').packages['node_modules/tsx'].version")" \
 && npm install --global "tsx@${TSX_VERSION}" \
 && npm cache clean --force \
 && tsx --version

COPY tsconfig.json ./
COPY backend ./backend
# A writable data folder for the unprivileged user (e.g. a spool: SPOOL_DIR=/app/.data/spool); mount a volume here
# to keep it across container restarts.
RUN mkdir -p /app/.data && chown node:node /app/.data

# Defaults of the container; everything else comes from the environment (see docs/configuration.md).
ENV PORT=8080 \
    HOST=0.0.0.0
EXPOSE 8080

# The official image's unprivileged user. tsx keeps its compile cache in /tmp, which stays writable.
USER node

# node:20-slim has no curl/wget: probe /healthz with Node's own fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["tsx", "backend/src/main.ts"]
