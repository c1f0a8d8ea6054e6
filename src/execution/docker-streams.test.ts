import { describe, expect, test } from "bun:test";
import { CappedBuffer, StdioDemuxer, utf8Boundary } from "./docker-streams";

/** One frame of Docker's multiplexed stream. */
function frame(type: 1 | 2, text: string | Uint8Array): Uint8Array {
  const payload = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const out = new Uint8Array(8 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("StdioDemuxer", () => {
  test("separates stdout and stderr however the frames are split across chunks", () => {
    const wire = concat([frame(1, "hej "), frame(2, "fel 1\n"), frame(1, "världen"), frame(2, "fel 2\n")]);
    for (const size of [1, 3, 7, 8, 9, 64]) {
      const d = new StdioDemuxer(1000);
      for (let i = 0; i < wire.length; i += size) d.push(wire.subarray(i, i + size));
      expect(d.stdout.text()).toBe("hej världen");
      expect(d.stderr.text()).toBe("fel 1\nfel 2\n");
      expect(d.stdout.truncated).toBe(false);
    }
  });

  test("keeps the first cap bytes of each stream, counts the rest", () => {
    const d = new StdioDemuxer(10);
    d.push(frame(1, "0123456789abcdef"));
    d.push(frame(2, "short"));
    d.push(frame(1, "more"));
    expect(d.stdout.text()).toBe("0123456789");
    expect(d.stdout.truncated).toBe(true);
    expect(d.stdout.total).toBe(20);
    expect(d.stderr.text()).toBe("short");
    expect(d.stderr.truncated).toBe(false);
  });

  test("ignores stdin frames", () => {
    const stdin = frame(1, "x");
    stdin[0] = 0;
    const d = new StdioDemuxer(100);
    d.push(concat([stdin, frame(1, "out")]));
    expect(d.stdout.text()).toBe("out");
    expect(d.stderr.text()).toBe("");
  });
});

describe("CappedBuffer", () => {
  test("a cut never leaves half a UTF-8 character", () => {
    const b = new CappedBuffer(5);
    b.write(new TextEncoder().encode("abcå€")); // a, b, c: 1 byte each; å: 2; €: 3 → the cap ends after å
    expect(b.text()).toBe("abcå");
    const c = new CappedBuffer(6);
    c.write(new TextEncoder().encode("abcå€")); // 6 bytes = abcå + first byte of €
    expect(c.text()).toBe("abcå");
    expect(c.truncated).toBe(true);
  });

  test("copies chunks (the caller may reuse its buffer)", () => {
    const b = new CappedBuffer(10);
    const chunk = new TextEncoder().encode("abc");
    b.write(chunk);
    chunk.fill(0x7a);
    expect(b.text()).toBe("abc");
  });

  test("utf8Boundary", () => {
    const e = (s: string) => new TextEncoder().encode(s);
    expect(utf8Boundary(e("abc"))).toBe(3);
    expect(utf8Boundary(e("ab€"))).toBe(5);
    expect(utf8Boundary(e("ab€").subarray(0, 4))).toBe(2);
    expect(utf8Boundary(e("😀").subarray(0, 3))).toBe(0);
    expect(utf8Boundary(new Uint8Array())).toBe(0);
  });
});
