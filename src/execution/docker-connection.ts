// config.runner.docker_host → dockerode connection options.
//
//   ""                          the local socket /var/run/docker.sock
//   unix:///path/to/socket      a local socket, e.g. rootful Podman's Docker-compatible API:
//                               "unix:///run/podman/podman.sock" (`systemctl enable --now podman.socket`).
//                               Podman must be ROOTFUL on cgroup v1 hosts: rootless Podman ignores memory,
//                               pids and CPU limits there (runner-notes §5), which would let a fork bomb or
//                               memory hog through.
//   tcp://host:2376             TLS when the port is 2376, DOCKER_TLS_VERIFY=1 or DOCKER_CERT_PATH is set;
//                               client certificates ca.pem, cert.pem, key.pem are read from DOCKER_CERT_PATH
//   https://host:port           TLS, same certificates; http://host:port and tcp://host:2375 are plain HTTP
//   ssh://user@host             through the SSH agent at SSH_AUTH_SOCK
//
// Every key is set explicitly (undefined when unused) because docker-modem merges our options over its
// own defaults, which it reads from the DOCKER_HOST environment variable: a socketPath from us would
// otherwise lose against a host from the environment.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { RunnerDriverError } from "./runner-driver";

export const LOCAL_DOCKER_SOCKET = "/var/run/docker.sock";

type Env = Record<string, string | undefined>;

export function dockerConnectionOptions(
  dockerHost: string,
  env: Env = process.env,
  readFile: (path: string) => Buffer = (p) => readFileSync(p),
): Docker.DockerOptions {
  const none = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
  } satisfies Docker.DockerOptions;
  const value = dockerHost.trim();
  if (value === "") return { ...none, socketPath: LOCAL_DOCKER_SOCKET };

  const scheme = /^([a-z]+):\/\//.exec(value)?.[1];
  if (scheme === "unix" || scheme === "npipe") {
    const socketPath = value.slice(scheme.length + 3);
    if (!socketPath) throw invalid(dockerHost, "the socket path is missing");
    return { ...none, socketPath };
  }
  if (scheme !== "tcp" && scheme !== "http" && scheme !== "https" && scheme !== "ssh") {
    throw invalid(dockerHost, "use unix://, tcp://, http://, https:// or ssh://");
  }

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(dockerHost, "not a valid address");
  }
  if (!url.hostname) throw invalid(dockerHost, "the host name is missing");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1"); // IPv6 literal without brackets

  if (scheme === "ssh") {
    return {
      ...none,
      host,
      port: url.port || 22,
      protocol: "ssh",
      username: url.username || undefined,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    };
  }

  const port = url.port || (scheme === "http" ? "2375" : scheme === "https" ? "2376" : "2375");
  const certPath = env.DOCKER_CERT_PATH?.trim() || "";
  const tls = scheme === "https" || port === "2376" || env.DOCKER_TLS_VERIFY === "1" || certPath !== "";
  if (!tls) return { ...none, host, port, protocol: "http" };
  if (!certPath) return { ...none, host, port, protocol: "https" }; // server verified against the system CAs

  const read = (name: string) => {
    try {
      return readFile(join(certPath, name));
    } catch (cause) {
      throw new RunnerDriverError(
        "docker_unavailable",
        `Cannot read ${name} in DOCKER_CERT_PATH (${certPath}) for ${dockerHost}.`,
        { cause },
      );
    }
  };
  return { ...none, host, port, protocol: "https", ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

function invalid(dockerHost: string, why: string): RunnerDriverError {
  return new RunnerDriverError("invalid_config", `runner.docker_host "${dockerHost}": ${why}.`);
}
