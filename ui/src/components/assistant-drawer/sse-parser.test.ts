import { describe, expect, test } from "bun:test";
import { SseParser } from "./sse-parser";

describe("SseParser", () => {
  test("named events with JSON data, split anywhere across chunks", () => {
    const stream = 'event: delta\ndata: {"text":"Hej"}\n\nevent: done\ndata: {"message_id":"m1"}\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events).toEqual([
        { event: "delta", data: '{"text":"Hej"}' },
        { event: "done", data: '{"message_id":"m1"}' },
      ]);
    }
  });

  test("several data lines join with newlines; comments and unknown fields are ignored; CRLF works", () => {
    const parser = new SseParser();
    expect(parser.push(": keep-alive\r\nid: 7\r\ndata: a\r\ndata:b\r\n\r\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });

  test("an event is only complete at its blank line; an event without data is dropped", () => {
    const parser = new SseParser();
    expect(parser.push("event: x\n\ndata: 1\n")).toEqual([]);
    expect(parser.push("\r")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "message", data: "1" }]);
  });
});
