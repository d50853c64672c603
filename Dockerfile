# syntax=docker/dockerfile:1
#
# Chedai: one image serving the API and the SPA on port 8080.
#   docker build -t chedai .
#   docker run -e DATABASE_URL=postgres://user:pass@host:5432/db -e CHEDAI_JWT_SECRET=... -p 8080:8080 chedai
# The image needs DATABASE_URL: it ships no PostgreSQL binaries for the embedded local mode.
# Needs BuildKit (the default builder of current Docker) for the cache mounts.

# ---- SPA -------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
# Dependencies first, so a source change does not reinstall them. `npm install`, not `npm ci`:
# vite names an optional package the registry lacks, which `npm ci` refuses (see scripts/lib.sh).
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---- server ----------------------------------------------------------------
FROM rust:1.95-bookworm AS server
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
COPY migrations ./migrations
# The registry, git checkouts and target/ live in BuildKit cache mounts, so rebuilds only
# recompile what changed. target/ is not part of the layer: copy the binary out in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p server --bin chedai \
 && install -D -m 0755 target/release/chedai /out/chedai

# ---- runtime ---------------------------------------------------------------
FROM debian:bookworm-slim AS runtime
# ca-certificates: TLS to external services; fonts-noto-cjk: Chinese text in PDFs;
# curl: the HEALTHCHECK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-noto-cjk curl \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 chedai \
 && useradd --system --uid 10001 --gid chedai --home-dir /var/lib/chedai --shell /usr/sbin/nologin chedai \
 && install -d -o chedai -g chedai -m 0750 /var/lib/chedai

COPY --from=server /out/chedai /usr/local/bin/chedai
COPY --from=web /src/web/dist /app/web

ENV CHEDAI_BIND=0.0.0.0:8080 \
    CHEDAI_WEB_DIR=/app/web \
    CHEDAI_VAR_DIR=/var/lib/chedai \
    CHEDAI_LOG_FORMAT=json

WORKDIR /app
USER chedai:chedai
VOLUME ["/var/lib/chedai"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["chedai"]
CMD ["serve"]
