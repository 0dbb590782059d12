# syntax=docker/dockerfile:1
# Harrier in one image; the role is chosen at run time:
#   docker run … harrier serve [--role all|ingest|detect|api]
#   docker run … harrier migrate | maintenance --days N | user create …
# Build: docker build -t harrier .

# ---- build: every dependency, the web console, then production dependencies only ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Native modules (better-sqlite3, argon2) ship prebuilt binaries; the toolchain is the fallback.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY packages/schema/package.json packages/schema/
COPY packages/detect/package.json packages/detect/
COPY packages/query/package.json packages/query/
COPY packages/server/package.json packages/server/
COPY packages/agent/package.json packages/agent/
COPY packages/web/package.json packages/web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Drop dev dependencies (vite, vitest, playwright, typescript…). tsx stays: the server runs its
# TypeScript sources through tsx's loader (packages/server/bin/harrier.js), no compile step.
RUN TSX="$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --omit=dev --no-audit --no-fund --ignore-scripts "tsx@${TSX}" \
 && rm -rf packages/web/src packages/web/e2e packages/web/node_modules packages/agent \
 && find packages -name '*.test.ts' -delete \
 && npm cache clean --force

# ---- runtime: node, the pruned tree, a non-root user ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HARRIER_HOST=0.0.0.0 \
    HARRIER_PORT=8080 \
    HARRIER_DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only to the service user; only /data is writable.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
RUN mkdir -p /data && chown node:node /data \
 && ln -s /app/packages/server/bin/harrier.js /usr/local/bin/harrier
USER node
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HARRIER_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/server/bin/harrier.js"]
CMD ["serve"]
