import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listDistFiles, renderAssetsModule } from "./gen-assets";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gen-assets-test-"));
  await mkdir(join(root, "dist", "assets"), { recursive: true });
  await mkdir(join(root, "src"));
  await writeFile(join(root, "dist", "index.html"), "<!doctype html><title>x</title>");
  await writeFile(join(root, "dist", "assets", "index-abc.js"), "export {};");
  await writeFile(join(root, "dist", "assets", "icon-def.svg"), "<svg/>");
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test("lists every file under dist as a sorted URL path", async () => {
  const files = await listDistFiles(join(root, "dist"));
  expect(files).toEqual([
    ["/assets/icon-def.svg", join(root, "dist", "assets", "icon-def.svg")],
    ["/assets/index-abc.js", join(root, "dist", "assets", "index-abc.js")],
    ["/index.html", join(root, "dist", "index.html")],
  ]);
});

test("a missing dist folder gives no files", async () => {
  expect(await listDistFiles(join(root, "nope"))).toEqual([]);
});

test("the generated module maps URL paths to files Bun can open", async () => {
  const files = await listDistFiles(join(root, "dist"));
  const text = renderAssetsModule(files, join(root, "src"));
  expect(text).toContain('import a0 from "../dist/assets/icon-def.svg" with { type: "file" };');
  await writeFile(join(root, "src", "assets.gen.js"), text);
  const { assets } = (await import(join(root, "src", "assets.gen.js"))) as { assets: Record<string, string> };
  expect(Object.keys(assets)).toEqual(["/assets/icon-def.svg", "/assets/index-abc.js", "/index.html"]);
  expect(await Bun.file(assets["/index.html"] ?? "").text()).toBe("<!doctype html><title>x</title>");
});

test("no files give an empty, importable map", async () => {
  const text = renderAssetsModule([], join(root, "src"));
  expect(text).toContain("export const assets = {};");
  await writeFile(join(root, "src", "empty.gen.js"), text);
  const { assets } = (await import(join(root, "src", "empty.gen.js"))) as { assets: Record<string, string> };
  expect(assets).toEqual({});
});
