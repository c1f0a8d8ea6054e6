import { describe, expect, test } from "bun:test";
import { dockerConnectionOptions, LOCAL_DOCKER_SOCKET } from "./docker-connection";
import { RunnerDriverError } from "./runner-driver";

const certs = (path: string) => Buffer.from(`pem:${path}`);

describe("dockerConnectionOptions", () => {
  test('"" is the local socket, even when DOCKER_HOST points elsewhere', () => {
    const o = dockerConnectionOptions("", { DOCKER_HOST: "tcp://elsewhere:2375" });
    expect(o.socketPath).toBe(LOCAL_DOCKER_SOCKET);
    // explicit undefined: docker-modem would otherwise take host from DOCKER_HOST and ignore socketPath
    expect("host" in o && o.host === undefined).toBe(true);
  });

  test("unix:// socket (e.g. rootful Podman)", () => {
    const o = dockerConnectionOptions("unix:///run/podman/podman.sock", {});
    expect(o.socketPath).toBe("/run/podman/podman.sock");
    expect(o.host).toBeUndefined();
  });

  test("tcp on 2375 is plain HTTP", () => {
    const o = dockerConnectionOptions("tcp://10.0.0.5:2375", {});
    expect(o).toMatchObject({ host: "10.0.0.5", port: "2375", protocol: "http" });
    expect(o.socketPath).toBeUndefined();
  });

  test("tcp on 2376 is TLS with client certificates from DOCKER_CERT_PATH", () => {
    const o = dockerConnectionOptions("tcp://docker.skola.se:2376", { DOCKER_CERT_PATH: "/etc/skt/certs" }, certs);
    expect(o).toMatchObject({ host: "docker.skola.se", port: "2376", protocol: "https" });
    expect(String(o.ca)).toBe("pem:/etc/skt/certs/ca.pem");
    expect(String(o.cert)).toBe("pem:/etc/skt/certs/cert.pem");
    expect(String(o.key)).toBe("pem:/etc/skt/certs/key.pem");
  });

  test("DOCKER_TLS_VERIFY=1 turns on TLS on any port; without certs the system CAs verify the server", () => {
    const o = dockerConnectionOptions("tcp://h:4000", { DOCKER_TLS_VERIFY: "1" }, certs);
    expect(o).toMatchObject({ host: "h", port: "4000", protocol: "https" });
    expect(o.ca).toBeUndefined();
  });

  test("an unreadable certificate is reported with its folder", () => {
    const fail = () => {
      throw new Error("ENOENT");
    };
    expect(() => dockerConnectionOptions("tcp://h:2376", { DOCKER_CERT_PATH: "/nope" }, fail)).toThrow(/ca\.pem.*\/nope/);
  });

  test("ssh:// uses the agent", () => {
    const o = dockerConnectionOptions("ssh://ops@docker1", { SSH_AUTH_SOCK: "/run/agent" });
    expect(o).toMatchObject({ host: "docker1", protocol: "ssh", username: "ops", sshOptions: { agent: "/run/agent" } });
  });

  test("nonsense is a config error", () => {
    for (const bad of ["ftp://x", "unix://", "tcp://", "docker.sock"]) {
      try {
        dockerConnectionOptions(bad, {});
        throw new Error(`accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(RunnerDriverError);
        expect((err as RunnerDriverError).code).toBe("invalid_config");
      }
    }
  });
});
