# One image for every dondoc process; the command picks web, worker, migrate or start.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY bots ./bots
COPY jobs ./jobs
COPY migrations ./migrations
USER node
EXPOSE 3000
CMD ["node", "bin/dondoc.js", "start"]
