// The floor under the driver's latency: create → start → wait → remove of a no-op container with the same
// network setting as a real run (NetworkDisabled), but no volume, no archives, no attach, no limits.
// scripts/bench/runs.ts compares the driver's phases against this to show what our own steps cost.
import Docker from "dockerode";
import { dockerConnectionOptions } from "./docker-connection";

export type BareLifecycleTimings = { create: number; start: number; wait: number; remove: number; total: number };

export async function bareLifecycle(
  image: string,
  { dockerHost = "", command = ["python3", "-c", "pass"] }: { dockerHost?: string; command?: string[] } = {},
): Promise<BareLifecycleTimings> {
  const docker = new Docker(dockerConnectionOptions(dockerHost));
  const began = performance.now();
  let t = began;
  const container = await docker.createContainer({
    Image: image,
    Cmd: command,
    NetworkDisabled: true,
    // no run label: findRunContainers/removeOrphans must never see bench containers
    Labels: { "skriptoteket.bench": "bare-lifecycle" },
    HostConfig: { NetworkMode: "none" },
  });
  const create = performance.now() - t;
  let start = 0;
  let wait = 0;
  try {
    t = performance.now();
    await container.start();
    start = performance.now() - t;
    t = performance.now();
    await container.wait();
    wait = performance.now() - t;
  } finally {
    t = performance.now();
    await container.remove({ force: true, v: true });
  }
  const remove = performance.now() - t;
  return { create, start, wait, remove, total: performance.now() - began };
}
