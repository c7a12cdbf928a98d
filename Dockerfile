# One image for every app (api, ingestion, worker, simulator); the compose service picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build:build@localhost:5432/build npx prisma generate && npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The API's listening address: inside a container loopback cannot be reached through a published port.
ENV HOST=0.0.0.0
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# The staff dashboard's static files (served by the API at /dashboard).
COPY --from=build /app/apps/api/public ./apps/api/public
# A fresh named volume mounted here takes this folder's owner: the API (user node) writes the broker's device files.
# The same for the VAPID key pair, generated there on first use by the API or the worker.
RUN mkdir -p /var/lib/carhealth/broker /var/lib/carhealth/vapid && chown node:node /var/lib/carhealth/broker /var/lib/carhealth/vapid
USER node
CMD ["node", "dist/apps/api/src/main.js"]
