import { expect, test } from "bun:test";
import { commands } from "./main";

test("each lazily loaded command matches its entry in the list", async () => {
  expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
  for (const entry of commands) {
    const cmd = await entry.load();
    expect(cmd.name).toBe(entry.name);
    expect(cmd.summary).toBe(entry.summary);
  }
});
