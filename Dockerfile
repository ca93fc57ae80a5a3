# One image for the api (which serves the web app) and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api worker web --outputStyle=static

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production WEB_DIST_PATH=/app/dist/apps/web/browser FILE_STORAGE_DIR=/app/.data/files
COPY package.json package-lock.json .npmrc ./
RUN npm install --omit=dev --no-audit --no-fund --ignore-scripts && npm rebuild argon2
COPY --from=build /app/dist ./dist
# FILE_STORAGE_DIR, owned by the runtime user: an empty named volume mounted here (docker-compose.yml's
# `files`) takes this owner on first use, so the api and the worker can both write to it.
RUN mkdir -p /app/.data/files && chown -R node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/main.js"]
