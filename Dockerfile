# syntax=docker/dockerfile:1.7
# keypool: API + admin SPA in one small image. Build: docker build -t keypool .
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile sqlite3 from source, build shared + API + SPA ----
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Native modules (sqlite3) are compiled here instead of downloading prebuilt binaries.
ENV CI=true npm_config_build_from_source=true
# Manifests first so the dependency layer is cached until the lockfile changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY packages/mock-upstream/package.json packages/mock-upstream/
RUN npx -y pnpm@10.34.9 install --frozen-lockfile
COPY . .
RUN npx -y pnpm@10.34.9 --filter "@keypool/api..." --filter "@keypool/web" run build
# Keep only what the server needs at runtime: production dependencies of the API and its workspace deps.
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules \
  && npx -y pnpm@10.34.9 install --frozen-lockfile --prod --filter "@keypool/api..." \
  && rm -rf /root/.cache /root/.npm /root/.local/share/pnpm

# ---- runtime: no compilers, no sources, non-root ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4270 DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages/shared/package.json ./packages/shared/
COPY --from=build /src/packages/shared/dist ./packages/shared/dist
COPY --from=build /src/apps/api/package.json ./apps/api/
COPY --from=build /src/apps/api/node_modules ./apps/api/node_modules
COPY --from=build /src/apps/api/dist ./apps/api/dist
COPY --from=build /src/apps/web/dist ./apps/web/dist
# SQLite mode keeps its file (and generated secrets) here; mount a volume to keep them.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4270
# Liveness only: a replica whose database is briefly away keeps proxying (logs wait in a buffer), so it is not restarted.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4270)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM lets keypool flush its log buffer before exit.
STOPSIGNAL SIGTERM
CMD ["node", "apps/api/dist/main.js"]
