import { expect, test } from "bun:test";
import {
  checkDockerHost,
  checkDomain,
  checkEmailSender,
  checkHostName,
  checkHttpUrl,
  checkListenAddress,
  checkPostgresUrl,
  checkSecret,
  withoutTrailingSlash,
} from "./config.checks";

const cases: [string, (v: string) => string | null, string[], string[]][] = [
  [
    "listen address",
    checkListenAddress,
    ["0.0.0.0:8080", "127.0.0.1:0", "localhost:80", "[::]:8080", "[::1]:443", ":8080"],
    ["8080", "localhost", "0.0.0.0:65536", "0.0.0.0:-1", "host:80:90", "http://x:80", "::1:80"],
  ],
  [
    "http url",
    checkHttpUrl,
    ["http://localhost:8080", "https://skript.skola.se", "https://skola.se/skriptoteket/"],
    ["skola.se", "ftp://skola.se", "https://u:p@skola.se", "https://skola.se/?a=1", "https://skola.se/#x", ""],
  ],
  [
    "database url",
    checkPostgresUrl,
    ["", "postgres://u:p@db:5432/x", "postgresql://db/x", "postgres://u:p%40ss@db/x"],
    ["sqlite:///x.db", "mysql://db/x", "postgres://", "db:5432"],
  ],
  ["secret", checkSecret, ["", "x".repeat(32)], ["x".repeat(31), "secret"]],
  [
    "e-mail sender",
    checkEmailSender,
    ["Skriptoteket <no-reply@localhost>", "no-reply@skola.se", "<a@b.se>", "Skola, IT <it@skola.se>"],
    ["Skriptoteket", "Name <no-address>", "a@b@c", "Name <a@b.se"],
  ],
  ["smtp host", checkHostName, ["", "smtp.skola.se", "10.0.0.5", "[::1]", "smtp.växjö.se"], ["smtp://smtp.skola.se", "smtp.skola.se:587", "a b"]],
  [
    "docker host",
    checkDockerHost,
    ["", "unix:///var/run/docker.sock", "tcp://10.0.0.5:2376", "ssh://user@host"],
    ["/var/run/docker.sock", "10.0.0.5:2376", "tcp://"],
  ],
  ["domain", checkDomain, ["skola.se", "elev.skola.se", "växjö.se", "a-b.kommun.se"], ["@skola.se", "skola", "-a.se", "a..se", "a b.se", ""]],
];

for (const [name, check, good, bad] of cases) {
  test(`${name}: accepts ${good.length} and rejects ${bad.length} values`, () => {
    for (const value of good) expect([value, check(value)]).toEqual([value, null]);
    for (const value of bad) expect([value, typeof check(value)]).toEqual([value, "string"]);
  });
}

test("withoutTrailingSlash", () => {
  expect(withoutTrailingSlash("https://a.se//")).toBe("https://a.se");
  expect(withoutTrailingSlash("https://a.se/x")).toBe("https://a.se/x");
});
