# Server image: the single binary on a slim Debian, running as a non-root user.
#
#   docker build -t skriptoteket .
#   docker run -d -p 8080:8080 -v skriptoteket-data:/var/lib/skriptoteket skriptoteket
#   docker exec -it <container> skriptoteket user create --email you@school.se --role superuser
#
# Docker for the tool runs: give the container the host's socket and its group,
#   docker run … -v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g /var/run/docker.sock)" skriptoteket
# or point [runner] docker_host (SKRIPTOTEKET_RUNNER_DOCKER_HOST) at a remote daemon over TCP+TLS
# (DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem). The daemon cannot see this container's folders, so
# inputs and outputs travel as archives (the driver notices and switches by itself); the runner image
# must exist on that daemon (runner/build-image.sh or runner/Dockerfile). README.md has a compose example.
#
# Configuration: mount a file at /etc/skriptoteket/skriptoteket.toml, or set SKRIPTOTEKET_<SECTION>_<KEY>
# variables (e.g. SKRIPTOTEKET_DATABASE_URL). Without a [server] secret, one is generated on first
# start and kept in the data volume.
#
# The build stage pulls oven/bun from a container registry. Sites without a registry build the
# binary with ./scripts/build.sh and install it with ./install.sh (or copy dist/skriptoteket into any
# glibc-based image). This project's CI machines reach no container registry, so this file is not
# built there.

FROM oven/bun:1.4.5 AS build
WORKDIR /src
# Dependencies first: this layer is reused while package.json and bun.lock stay the same.
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile
COPY . .
RUN bash scripts/build.sh

FROM debian:bookworm-slim
# uid 10002, not 10001: the tool sandbox runs as 10001, and the server should never share its uid.
RUN groupadd --system --gid 10002 skriptoteket \
 && useradd --system --uid 10002 --gid skriptoteket --home-dir /var/lib/skriptoteket \
      --no-create-home --shell /usr/sbin/nologin skriptoteket \
 && install -d -o skriptoteket -g skriptoteket -m 0750 /var/lib/skriptoteket
COPY --from=build /src/dist/skriptoteket /usr/local/bin/skriptoteket
ENV SKRIPTOTEKET_STORAGE_DATA_DIR=/var/lib/skriptoteket \
    SKRIPTOTEKET_SERVER_LISTEN=0.0.0.0:8080
USER skriptoteket
WORKDIR /var/lib/skriptoteket
EXPOSE 8080
VOLUME /var/lib/skriptoteket
# No HEALTHCHECK: the slim image has no curl or wget, and the binary has no probe command yet.
# Point the orchestrator's HTTP probe at GET /healthz (liveness) and GET /readyz (readiness).
ENTRYPOINT ["/usr/local/bin/skriptoteket"]
CMD ["serve"]
