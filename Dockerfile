# One image for the three services; compose picks the entry point with `command`.
# Node.js 24 (LTS, maintained until April 2028; 22 and 26 are tested too, docs/containers.md).
# NODE_IMAGE picks another Node.js image, e.g. `--build-arg NODE_IMAGE=node:26-trixie-slim`.
# Build stage: all dependencies, compile. Runtime stage: production dependencies only, non-root.
ARG NODE_IMAGE=node:24-trixie-slim
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The workspace packages before npm ci: it links each libs/<name> as node_modules/@reliable-payments/<name>.
COPY libs ./libs
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.package.json nest-cli.json ./
COPY apps ./apps
COPY tools ./tools
# The console's browser bundle and stylesheet (esbuild, part of npm run build) land in dist/apps/console/assets.
COPY scripts/build-console-assets.mjs ./scripts/build-console-assets.mjs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# HOST: in a container the services listen on its own network's interfaces (127.0.0.1 elsewhere).
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The services import the packages by name: node_modules/@reliable-payments/* link to libs/*/dist.
COPY --from=build --chown=node:node /app/libs ./libs
USER node
CMD ["node", "--enable-source-maps", "dist/apps/order-service/src/main.js"]
