# One image for every service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci && npm cache clean --force
ENV NODE_ENV=production HOST=0.0.0.0
