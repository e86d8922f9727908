# Production image: the same path as docs/deploy.md — build with the dev dependencies, then install
# without them (`npm ci --omit=dev`) and run the prebuilt dist/ (npm start never compiles here).
# Build:  docker build -t incident-bot .
# Run:    docker run -p 3000:3000 -v incident-data:/data --env-file .env incident-bot

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
# Everything but node_modules (prisma.config.ts and src/db are read by `prisma generate` at install time;
# prisma/migrations are applied at start-up; dist/ is what runs).
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/templates ./templates
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/blocks ./blocks
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/ last, so it is newer than the sources: `npm start` sees a current build and starts it as is.
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["npm", "start"]
