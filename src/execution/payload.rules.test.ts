import { describe, expect, test } from "bun:test";
import { jsonBytes, utf8Length, type MarkdownOutput, type NoticeOutput, type TableOutput, type UiPayload } from "./contract.types";
import { normalizeNextActions, normalizePayload, specLoadsRemoteData } from "./payload.rules";

/** The stored bytes of a normalization. */
function stored(outputs: unknown[], next_actions: unknown[] = [], extraNotices?: { en: string; sv: string }[]): string {
  return JSON.stringify(normalizePayload({ outputs, next_actions, extraNotices }).payload);
}
function payloadOf(outputs: unknown[], next_actions: unknown[] = []): UiPayload {
  return normalizePayload({ outputs, next_actions }).payload;
}
function messages(outputs: unknown[], next_actions: unknown[] = []): string[] {
  return normalizePayload({ outputs, next_actions }).notices.map((n) => n.message);
}
const notice = (en: string, sv: string): NoticeOutput => ({ kind: "notice", level: "warning", message: `System notice: ${en}\nSystemmeddelande: ${sv}` });
const md = (text: string): MarkdownOutput => ({ kind: "markdown", markdown: text });

describe("clean payloads pass through unchanged", () => {
  test("every kind, exact bytes", () => {
    const outputs = [
      { kind: "notice", level: "info", message: "  Klart!  " },
      { kind: "markdown", markdown: "# Resultat\n\n* ett\n* två" },
      { kind: "table", title: "Elever", columns: [{ key: "namn", label: "Namn" }, { key: "poäng", label: "Poäng" }], rows: [{ namn: "Anna", poäng: 12.5 }, { poäng: null, namn: "Bo" }, { namn: true }] },
      { kind: "json", title: "Data", value: { b: [1, { d: 1, c: 2 }], a: null } },
      { kind: "html_sandboxed", html: "<p>Hej</p>" },
      { kind: "vega_lite", spec: { mark: "bar", data: { values: [{ a: 1 }] } } },
    ];
    const actions = [{ action_id: "next", label: "Nästa", kind: "form", fields: [{ kind: "string", name: "kommentar", label: "Kommentar" }] }];
    expect(stored(outputs, actions)).toBe(
      '{"contract_version":2,"outputs":[' +
        '{"kind":"notice","level":"info","message":"  Klart!  "},' +
        '{"kind":"markdown","markdown":"# Resultat\\n\\n* ett\\n* två"},' +
        '{"kind":"table","title":"Elever","columns":[{"key":"namn","label":"Namn"},{"key":"poäng","label":"Poäng"}],"rows":[{"namn":"Anna","poäng":12.5},{"namn":"Bo","poäng":null},{"namn":true}]},' +
        '{"kind":"json","title":"Data","value":{"a":null,"b":[1,{"c":2,"d":1}]}},' +
        '{"kind":"html_sandboxed","html":"<p>Hej</p>"},' +
        '{"kind":"vega_lite","spec":{"mark":"bar","data":{"values":[{"a":1}]}}}' +
        '],"next_actions":[{"action_id":"next","label":"Nästa","kind":"form","fields":[{"kind":"string","name":"kommentar","label":"Kommentar"}]}]}',
    );
    expect(normalizePayload({ outputs, next_actions: actions }).notices).toEqual([]);
  });

  test("nothing in, nothing out", () => {
    expect(stored([])).toBe('{"contract_version":2,"outputs":[],"next_actions":[]}');
  });

  test("keys an output kind does not define are left out silently; titles are trimmed, empty titles go", () => {
    expect(stored([{ kind: "markdown", markdown: "x", id: 7, style: "big" }, { kind: "json", title: "   ", value: 1 }, { kind: "json", title: null, value: [] }])).toBe(
      '{"contract_version":2,"outputs":[{"kind":"markdown","markdown":"x"},{"kind":"json","value":1},{"kind":"json","value":[]}],"next_actions":[]}',
    );
  });

  test("the same input gives the same bytes, and normalizing a normalized payload changes nothing", () => {
    const outputs = [
      md("x".repeat(70_000)),
      { kind: "chart" },
      { kind: "table", columns: [{ key: "a", label: "A" }, { key: "a", label: "A2" }], rows: Array.from({ length: 800 }, (_, i) => ({ a: i })) },
      { kind: "json", value: { z: 1, y: [[[[[[[[[[[1]]]]]]]]]]] } },
    ];
    const actions = [
      { action_id: "b", label: "B", fields: [{ kind: "date", name: "d", label: "D" }] },
      { action_id: "a", label: "A", fields: [], prefill: { x: 1 } },
    ];
    const first = stored(outputs, actions);
    expect(stored(outputs, actions)).toBe(first);
    const payload = JSON.parse(first) as UiPayload;
    expect(stored(payload.outputs, payload.next_actions)).toBe(first);
  });
});

describe("dropped outputs", () => {
  test("unknown kinds, non-objects, missing kinds and invalid outputs: one notice lists them all", () => {
    const payload = payloadOf([
      md("ok"),
      { kind: "chart", data: [1] },
      "text",
      { markdown: "no kind" },
      { kind: "notice", level: "success", message: "Klart" },
      { kind: "notice", level: "info", message: 5 },
      { kind: "markdown", markdown: null },
      { kind: "html_sandboxed" },
      { kind: "table", columns: "a,b", rows: [] },
      { kind: "table", columns: [], rows: [] },
      { kind: "table", columns: [{ key: "a", label: "A" }], rows: {} },
      { kind: "json", title: "x" },
      { kind: "vega_lite", spec: [] },
      { kind: 7 },
    ]);
    expect(payload.outputs).toEqual([
      md("ok"),
      notice(
        'Some outputs were dropped: outputs[1] has unknown kind "chart"; outputs[2] is not an object; outputs[3] has no "kind"; ' +
          'outputs[4] (notice) is invalid: "level" must be "info", "warning" or "error"; outputs[5] (notice) is invalid: "message" must be text; ' +
          'outputs[6] (markdown) is invalid: "markdown" must be text; outputs[7] (html_sandboxed) is invalid: "html" must be text; ' +
          'outputs[8] (table) is invalid: "columns" must be a list; outputs[9] (table) is invalid: no valid columns; ' +
          'outputs[10] (table) is invalid: "rows" must be a list; and 3 more.',
        'Vissa utdata togs bort: outputs[1] har okänd typ "chart"; outputs[2] är inte ett objekt; outputs[3] saknar "kind"; ' +
          'outputs[4] (notice) är ogiltig: "level" måste vara "info", "warning" eller "error"; outputs[5] (notice) är ogiltig: "message" måste vara text; ' +
          'outputs[6] (markdown) är ogiltig: "markdown" måste vara text; outputs[7] (html_sandboxed) är ogiltig: "html" måste vara text; ' +
          'outputs[8] (table) är ogiltig: "columns" måste vara en lista; outputs[9] (table) är ogiltig: inga giltiga kolumner; ' +
          'outputs[10] (table) är ogiltig: "rows" måste vara en lista; och 3 till.',
      ),
    ]);
  });

  test("the items beyond ten: json without value, vega spec not an object, a kind that is no text", () => {
    const payload = payloadOf([{ kind: "json", title: "x" }, { kind: "vega_lite", spec: [] }, { kind: 7 }]);
    expect(payload.outputs).toEqual([
      notice(
        'Some outputs were dropped: outputs[0] (json) is invalid: "value" is missing; outputs[1] (vega_lite) is invalid: "spec" must be an object; outputs[2] has no "kind".',
        'Vissa utdata togs bort: outputs[0] (json) är ogiltig: "value" saknas; outputs[1] (vega_lite) är ogiltig: "spec" måste vara ett objekt; outputs[2] saknar "kind".',
      ),
    ]);
  });

  test("a long or hostile kind is quoted and shortened in the notice", () => {
    expect(messages([{ kind: `${"k".repeat(70)}"\n` }])).toEqual([
      `System notice: Some outputs were dropped: outputs[0] has unknown kind "${"k".repeat(64)}…".\nSystemmeddelande: Vissa utdata togs bort: outputs[0] har okänd typ "${"k".repeat(64)}…".`,
    ]);
    expect(messages([{ kind: 'a"b\nc' }])).toEqual([
      'System notice: Some outputs were dropped: outputs[0] has unknown kind "a\\"b\\nc".\nSystemmeddelande: Vissa utdata togs bort: outputs[0] har okänd typ "a\\"b\\nc".',
    ]);
  });
});

describe("shortened text outputs", () => {
  test("notice, markdown and html are cut at their limits on a character boundary", () => {
    const payload = payloadOf([
      { kind: "notice", level: "error", message: `${"a".repeat(8191)}ö` },
      md(`${"b".repeat(65_535)}😀`),
      { kind: "html_sandboxed", html: "c".repeat(98_305) },
      md("d".repeat(65_536)),
    ]);
    expect(payload.outputs.slice(0, 4)).toEqual([
      { kind: "notice", level: "error", message: "a".repeat(8191) },
      md("b".repeat(65_535)),
      { kind: "html_sandboxed", html: "c".repeat(98_304) },
      md("d".repeat(65_536)),
    ]);
    expect(payload.outputs[4]).toEqual(
      notice(
        'Some outputs were shortened: outputs[0] (notice): "message" cut to 8192 bytes; outputs[1] (markdown): "markdown" cut to 65536 bytes; outputs[2] (html_sandboxed): "html" cut to 98304 bytes.',
        'Vissa utdata kortades: outputs[0] (notice): "message" kortad till 8192 byte; outputs[1] (markdown): "markdown" kortad till 65536 byte; outputs[2] (html_sandboxed): "html" kortad till 98304 byte.',
      ),
    );
    expect(payload.outputs).toHaveLength(5);
  });
});

describe("tables", () => {
  test("columns: invalid and repeated removed, cut to 40; rows: non-objects removed, cut to 750; cells: column order, cut, invalid removed", () => {
    const columns = [
      { key: " id ", label: " Id " },
      { key: "id", label: "Igen" },
      { key: "", label: "Tom" },
      { key: "x" },
      "namn",
      ...Array.from({ length: 45 }, (_, i) => ({ key: `c${i}`, label: `C${i}` })),
    ];
    const rows = [
      { c0: "x".repeat(600), id: 1, extra: "not shown", c1: { nested: true }, c2: [1] },
      "not a row",
      null,
      ...Array.from({ length: 800 }, (_, i) => ({ id: i + 2, c39: "sista", c40: "utanför" })),
    ];
    const payload = payloadOf([{ kind: "table", title: 42, columns, rows }]);
    const table = payload.outputs[0] as TableOutput;
    expect(Object.keys(table)).toEqual(["kind", "columns", "rows"]);
    expect(table.columns).toHaveLength(40);
    expect(table.columns.slice(0, 2)).toEqual([
      { key: "id", label: "Id" },
      { key: "c0", label: "C0" },
    ]);
    expect(table.columns[39]).toEqual({ key: "c38", label: "C38" });
    expect(table.rows).toHaveLength(750);
    expect(JSON.stringify(table.rows[0])).toBe(`{"id":1,"c0":"${"x".repeat(512)}"}`);
    expect(JSON.stringify(table.rows[1])).toBe('{"id":2}'); // c39 and c40 are beyond the 40 kept columns
    expect(payload.outputs[1]).toEqual(
      notice(
        'Some outputs were shortened: outputs[0] (table): "title" removed (not text), invalid columns removed: 3, columns with a repeated key removed: 1, columns cut from 46 to 40, rows that are not objects removed: 2, rows cut from 801 to 750, cell texts cut to 512 bytes: 1, cells that are not text, numbers, true/false or null removed: 2.',
        'Vissa utdata kortades: outputs[0] (table): "title" borttagen (inte text), ogiltiga kolumner borttagna: 3, kolumner med upprepad nyckel borttagna: 1, kolumner kortade från 46 till 40, rader som inte är objekt borttagna: 2, rader kortade från 801 till 750, celltexter kortade till 512 byte: 1, celler som inte är text, tal, true/false eller null borttagna: 2.',
      ),
    );
  });

  test("cells for keys that are no column are left out without a notice; missing cells stay missing", () => {
    expect(stored([{ kind: "table", columns: [{ key: "b", label: "B" }, { key: "a", label: "A" }], rows: [{ a: 1, b: 2, c: 3 }, { z: 1 }] }])).toBe(
      '{"contract_version":2,"outputs":[{"kind":"table","columns":[{"key":"b","label":"B"},{"key":"a","label":"A"}],"rows":[{"b":2,"a":1},{}]}],"next_actions":[]}',
    );
  });

  test('a column keyed "__proto__" keeps its cells', () => {
    const raw = JSON.parse('[{"kind":"table","columns":[{"key":"__proto__","label":"P"}],"rows":[{"__proto__":"x"}]}]') as unknown[];
    expect(JSON.stringify(payloadOf(raw).outputs[0])).toBe('{"kind":"table","columns":[{"key":"__proto__","label":"P"}],"rows":[{"__proto__":"x"}]}');
  });

  test("a long title is cut at 1024 bytes", () => {
    const payload = payloadOf([{ kind: "table", title: "å".repeat(600), columns: [{ key: "a", label: "A" }], rows: [] }]);
    expect((payload.outputs[0] as { title: string }).title).toBe("å".repeat(512));
    expect(payload.outputs[1]).toEqual(
      notice('Some outputs were shortened: outputs[0] (table): "title" cut to 1024 bytes.', 'Vissa utdata kortades: outputs[0] (table): "title" kortad till 1024 byte.'),
    );
  });
});

describe("json outputs", () => {
  const deep = (levels: number): unknown => (levels === 0 ? 1 : [deep(levels - 1)]);

  test("keys are sorted at every level", () => {
    expect(JSON.stringify(payloadOf([{ kind: "json", value: [{ b: 1, a: { d: 1, c: 2 } }, "x"] }]).outputs[0])).toBe('{"kind":"json","value":[{"a":{"c":2,"d":1},"b":1}]}'.replace("}]}", '},"x"]}'));
  });

  test("ten levels are kept, the eleventh becomes null", () => {
    expect(JSON.stringify((payloadOf([{ kind: "json", value: deep(10) }]).outputs[0] as { value: unknown }).value)).toBe("[[[[[[[[[[1]]]]]]]]]]");
    const payload = payloadOf([{ kind: "json", value: deep(11) }]);
    expect(JSON.stringify((payload.outputs[0] as { value: unknown }).value)).toBe("[[[[[[[[[[null]]]]]]]]]]");
    expect(payload.outputs[1]).toEqual(
      notice("Some outputs were shortened: outputs[0] (json): levels deeper than 10 replaced by null.", "Vissa utdata kortades: outputs[0] (json): nivåer djupare än 10 ersatta med null."),
    );
  });

  test("objects keep their first 1,000 keys in sorted order, lists their first 2,000 items", () => {
    const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${String(1000 - i).padStart(4, "0")}`, i]));
    const payload = payloadOf([{ kind: "json", title: " Stor ", value: { wide, list: Array.from({ length: 2001 }, (_, i) => i) } }]);
    const value = (payload.outputs[0] as unknown as { value: { wide: Record<string, number>; list: number[] } }).value;
    expect((payload.outputs[0] as { title: string }).title).toBe("Stor");
    expect(Object.keys(value.wide)).toHaveLength(1000);
    expect(Object.keys(value.wide)[0]).toBe("k0000");
    expect(Object.keys(value.wide)[999]).toBe("k0999");
    expect(value.list).toHaveLength(2000);
    expect(value.list[1999]).toBe(1999);
    expect(payload.outputs[1]).toEqual(
      notice(
        "Some outputs were shortened: outputs[0] (json): objects cut to 1000 keys, lists cut to 2000 items.",
        "Vissa utdata kortades: outputs[0] (json): objekt kortade till 1000 nycklar, listor kortade till 2000 element.",
      ),
    );
  });

  test("over 96 KiB: a list keeps its longest fitting prefix", () => {
    const items = Array.from({ length: 100 }, () => "x".repeat(1998)); // 2,000 bytes each as JSON, 2,001 with the comma
    const value = (payloadOf([{ kind: "json", value: items }]).outputs[0] as { value: string[] }).value;
    // [ + 49 × 2,000 + 48 commas + ] = 98,050 ≤ 98,304; one more item adds 2,001
    expect(value).toHaveLength(49);
    expect(jsonBytes(value)).toBe(98_050);
    expect(messages([{ kind: "json", value: items }])).toEqual([
      'System notice: Some outputs were shortened: outputs[0] (json): "value" cut to fit 98304 bytes.\nSystemmeddelande: Vissa utdata kortades: outputs[0] (json): "value" kortat för att rymmas i 98304 byte.',
    ]);
  });

  test("over 96 KiB: an object keeps its longest fitting prefix of sorted keys", () => {
    const value = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "y".repeat(2000)]));
    const kept = (payloadOf([{ kind: "json", value }]).outputs[0] as { value: Record<string, string> }).value;
    // each entry: "kNN": (6) + string (2,002) = 2,008, plus commas: 2 + 48 × 2,008 + 47 = 96,433; 49 would be 98,442
    expect(Object.keys(kept)).toEqual(Array.from({ length: 48 }, (_, i) => `k${String(i).padStart(2, "0")}`));
    expect(jsonBytes(kept)).toBe(96_433);
  });

  test("over 96 KiB: a string is cut so that its JSON, escapes included, fits", () => {
    const kept = (payloadOf([{ kind: "json", value: "\n".repeat(60_000) }]).outputs[0] as { value: string }).value;
    expect(kept).toBe("\n".repeat(49_151)); // "\n" is 2 bytes as JSON: 2 + 2 × 49,151 = 98,304
    expect(jsonBytes(kept)).toBe(98_304);
  });

  test("JSON.parse's integer-like keys come first, in numeric order, after sorting too", () => {
    expect(JSON.stringify((payloadOf([{ kind: "json", value: { b: 1, "10": 2, "9": 3, a: 4 } }]).outputs[0] as { value: unknown }).value)).toBe('{"9":3,"10":2,"a":4,"b":1}');
  });
});

describe("vega_lite outputs", () => {
  test("inline data is allowed, also rows with a field named url", () => {
    const spec = { data: { values: [{ url: "https://skola.se", n: 1 }] }, mark: "point", encoding: { href: { field: "url" } } };
    expect(payloadOf([{ kind: "vega_lite", spec }]).outputs).toEqual([{ kind: "vega_lite", spec }]);
    expect(specLoadsRemoteData(spec)).toBe(false);
  });

  test.each([
    ["top-level data.url", { data: { url: "https://evil.example/data.csv" }, mark: "bar" }],
    ["data.url in a layer", { layer: [{ mark: "bar" }, { data: { url: "data.json" }, mark: "line" }] }],
    ["lookup transform", { transform: [{ lookup: "id", from: { data: { url: "x.csv" }, key: "id", fields: ["a"] } }] }],
    ["vega-style data list", { data: [{ name: "t", url: "x.json" }] }],
    ["data.url set to null still names a url", { data: { url: null } }],
  ])("%s is dropped", (_name, spec) => {
    expect(specLoadsRemoteData(spec)).toBe(true);
    expect(payloadOf([{ kind: "vega_lite", spec }]).outputs).toEqual([
      notice(
        'Some outputs were dropped: outputs[0] (vega_lite) is invalid: remote data ("data.url") is not allowed; put the data in the spec.',
        'Vissa utdata togs bort: outputs[0] (vega_lite) är ogiltig: extern data ("data.url") är inte tillåten; lägg in datan i specifikationen.',
      ),
    ]);
  });

  test("a spec over 96 KiB is dropped, not cut", () => {
    const spec = { data: { values: Array.from({ length: 20_000 }, (_, i) => ({ i })) } };
    expect(messages([{ kind: "vega_lite", spec }])).toEqual([
      'System notice: Some outputs were dropped: outputs[0] (vega_lite) is invalid: "spec" is larger than 98304 bytes.\nSystemmeddelande: Vissa utdata togs bort: outputs[0] (vega_lite) är ogiltig: "spec" är större än 98304 byte.',
    ]);
  });
});

describe("the output cap counts system notices", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => md(`m${i}`));

  test("50 clean outputs are all kept", () => {
    const payload = payloadOf(many(50));
    expect(payload.outputs).toHaveLength(50);
    expect(payload.outputs[49]).toEqual(md("m49"));
  });

  test("51 outputs: 49 kept, the rest named in one range", () => {
    const payload = payloadOf(many(51));
    expect(payload.outputs).toHaveLength(50);
    expect(payload.outputs[48]).toEqual(md("m48"));
    expect(payload.outputs[49]).toEqual(
      notice(
        "Some outputs were dropped: outputs[49]–outputs[50] left out: at most 50 outputs are kept, system notices included.",
        "Vissa utdata togs bort: outputs[49]–outputs[50] togs inte med: högst 50 utdata behålls, systemmeddelanden inräknade.",
      ),
    );
  });

  test("50 outputs with a shortened one: two notices, so 48 kept", () => {
    const outputs = many(50);
    outputs[3] = md("x".repeat(70_000));
    const payload = payloadOf(outputs);
    expect(payload.outputs).toHaveLength(50);
    expect(payload.outputs[47]).toEqual(md("m47"));
    expect(payload.outputs.slice(48)).toEqual([
      notice(
        "Some outputs were dropped: outputs[48]–outputs[49] left out: at most 50 outputs are kept, system notices included.",
        "Vissa utdata togs bort: outputs[48]–outputs[49] togs inte med: högst 50 utdata behålls, systemmeddelanden inräknade.",
      ),
      notice(
        'Some outputs were shortened: outputs[3] (markdown): "markdown" cut to 65536 bytes.',
        'Vissa utdata kortades: outputs[3] (markdown): "markdown" kortad till 65536 byte.',
      ),
    ]);
  });

  test("invalid outputs before the cut are named one by one; from the cut on everything is one range", () => {
    // 50 valid outputs (m0–m48 and "late"), two invalid ones: the notice takes the place of "late"
    const outputs = [{ kind: "chart" }, ...many(49), { kind: "chart" }, md("late")];
    const payload = payloadOf(outputs);
    expect(payload.outputs).toHaveLength(50);
    expect(payload.outputs[48]).toEqual(md("m48"));
    expect(payload.outputs[49]).toEqual(
      notice(
        'Some outputs were dropped: outputs[0] has unknown kind "chart"; outputs[50] has unknown kind "chart"; outputs[51] left out: at most 50 outputs are kept, system notices included.',
        'Vissa utdata togs bort: outputs[0] har okänd typ "chart"; outputs[50] har okänd typ "chart"; outputs[51] togs inte med: högst 50 utdata behålls, systemmeddelanden inräknade.',
      ),
    );
    // with more outputs after the cut, invalid ones there are part of the range
    const longer = payloadOf([...many(50), { kind: "chart" }, md("x")]);
    expect(longer.outputs[49]).toEqual(
      notice(
        "Some outputs were dropped: outputs[49]–outputs[51] left out: at most 50 outputs are kept, system notices included.",
        "Vissa utdata togs bort: outputs[49]–outputs[51] togs inte med: högst 50 utdata behålls, systemmeddelanden inräknade.",
      ),
    );
  });

  test("notices of all kinds plus extras still stay within 50", () => {
    const outputs = [md("x".repeat(70_000)), { kind: "chart" }, ...many(60)];
    const actions = [{ action_id: "a", label: "A", fields: [{ kind: "date", name: "d", label: "D" }] }];
    const { payload, notices } = normalizePayload({ outputs, next_actions: actions, extraNotices: [{ en: "State was cut.", sv: "Tillståndet kortades." }] });
    expect(payload.outputs).toHaveLength(50);
    expect(notices).toHaveLength(4);
    expect(payload.outputs.slice(0, 46).every((o) => o.kind === "markdown")).toBe(true);
    expect(notices[0]!.message).toStartWith("System notice: Some outputs were dropped: outputs[1] has unknown kind \"chart\"; outputs[47]–outputs[61] left out");
    expect(notices[3]).toEqual(notice("State was cut.", "Tillståndet kortades."));
  });
});

describe("the 256 KiB payload budget", () => {
  const html = (c: string) => ({ kind: "html_sandboxed", html: c.repeat(98_304) });

  test("outputs are dropped from the end until the payload fits", () => {
    const payload = payloadOf([html("a"), html("b"), html("c"), md("tiny"), html("d")]);
    expect(payload.outputs.map((o) => (o.kind === "html_sandboxed" ? o.html[0] : o.kind))).toEqual(["a", "b", "notice"]);
    expect(payload.outputs[2]).toEqual(
      notice(
        "Some outputs were dropped: outputs[2]–outputs[4] left out to keep the result within 262144 bytes.",
        "Vissa utdata togs bort: outputs[2]–outputs[4] togs inte med för att resultatet ska rymmas i 262144 byte.",
      ),
    );
    expect(jsonBytes(payload)).toBeLessThanOrEqual(262_144);
  });

  test("when both the count cap and the budget cut, the notice says both", () => {
    const outputs = [html("a"), html("b"), html("c"), ...Array.from({ length: 60 }, (_, i) => md(`m${i}`))];
    const payload = payloadOf(outputs);
    expect(payload.outputs).toHaveLength(3);
    expect(payload.outputs[2]).toEqual(
      notice(
        "Some outputs were dropped: outputs[2]–outputs[62] left out to stay within 50 outputs and 262144 bytes.",
        "Vissa utdata togs bort: outputs[2]–outputs[62] togs inte med för att hålla resultatet inom 50 utdata och 262144 byte.",
      ),
    );
  });

  test("multi-byte text counts in UTF-8 bytes", () => {
    const ö = (n: number) => ({ kind: "html_sandboxed", html: "ö".repeat(n) }); // 2 bytes each
    const payload = payloadOf([ö(49_152), ö(49_152), ö(49_152)]); // 98,304 bytes each
    expect(payload.outputs).toHaveLength(3); // two outputs + the notice
    expect(utf8Length(JSON.stringify(payload))).toBeLessThanOrEqual(262_144);
  });

  test("next actions are never dropped by the payload budget", () => {
    const options = Array.from({ length: 100 }, (_, i) => ({ value: `v${i}`, label: "l".repeat(1000) }));
    const actions = Array.from({ length: 10 }, (_, i) => ({ action_id: `a${i}`, label: "A", fields: [{ kind: "enum", name: "e", label: "E", options }] }));
    const { actions: normalized } = normalizeNextActions(actions);
    const payload = payloadOf([html("a"), html("b"), html("c")], actions);
    expect(payload.next_actions).toEqual(normalized);
    expect(jsonBytes(payload)).toBeLessThanOrEqual(262_144);
  });
});

describe("next actions", () => {
  const field = (name: string, extra: Record<string, unknown> = {}) => ({ kind: "string", name, label: name.toUpperCase(), ...extra });

  test("kept actions are sorted by action_id; ids and labels trimmed; kind defaults to form", () => {
    const { actions, items } = normalizeNextActions([
      { action_id: " zeta ", label: " Sist ", fields: [] },
      { action_id: "Beta", label: "B", kind: "form" },
      { action_id: "alfa", label: "A", fields: [field("x")], kind: null },
    ]);
    expect(JSON.stringify(actions)).toBe(
      '[{"action_id":"Beta","label":"B","kind":"form","fields":[]},{"action_id":"alfa","label":"A","kind":"form","fields":[{"kind":"string","name":"x","label":"X"}]},{"action_id":"zeta","label":"Sist","kind":"form","fields":[]}]',
    );
    expect(items).toEqual([]);
  });

  test("invalid and repeated actions are dropped, each with its reason", () => {
    const payload = payloadOf(
      [],
      [
        { action_id: "ok", label: "OK" },
        "x",
        { action_id: "", label: "L" },
        { action_id: "i".repeat(65), label: "L" },
        { action_id: 7, label: "L" },
        { action_id: "ok", label: "Again" },
        { action_id: "nolabel" },
        { action_id: "biglabel", label: "l".repeat(1025) },
        { action_id: "link", label: "L", kind: "link" },
        { action_id: "f", label: "L", fields: {} },
      ],
    );
    expect(payload.next_actions).toEqual([{ action_id: "ok", label: "OK", kind: "form", fields: [] }]);
    expect(payload.outputs).toEqual([
      notice(
        'Some next actions were changed: next_actions[1] dropped: is not an object; next_actions[2] dropped: "action_id" must be text of 1 to 64 bytes; ' +
          'next_actions[3] dropped: "action_id" must be text of 1 to 64 bytes; next_actions[4] dropped: "action_id" must be text of 1 to 64 bytes; ' +
          'next_actions[5] dropped: repeats action_id "ok"; next_actions[6] dropped: "label" must be text of 1 to 1024 bytes; ' +
          'next_actions[7] dropped: "label" must be text of 1 to 1024 bytes; next_actions[8] dropped: "kind" must be "form"; ' +
          'next_actions[9] dropped: "fields" must be a list.',
        'Vissa åtgärder (next_actions) ändrades: next_actions[1] togs bort: är inte ett objekt; next_actions[2] togs bort: "action_id" måste vara text på 1 till 64 byte; ' +
          'next_actions[3] togs bort: "action_id" måste vara text på 1 till 64 byte; next_actions[4] togs bort: "action_id" måste vara text på 1 till 64 byte; ' +
          'next_actions[5] togs bort: upprepar action_id "ok"; next_actions[6] togs bort: "label" måste vara text på 1 till 1024 byte; ' +
          'next_actions[7] togs bort: "label" måste vara text på 1 till 1024 byte; next_actions[8] togs bort: "kind" måste vara "form"; ' +
          'next_actions[9] togs bort: "fields" måste vara en lista.',
      ),
    ]);
  });

  test("a 64-byte id is fine, 65 is not (bytes, not characters)", () => {
    expect(normalizeNextActions([{ action_id: "å".repeat(32), label: "L" }]).actions).toHaveLength(1);
    expect(normalizeNextActions([{ action_id: `${"å".repeat(32)}a`, label: "L" }]).actions).toHaveLength(0);
  });

  test("the first 10 valid actions in the tool's order are kept, then sorted", () => {
    const raw = [{ action_id: "bad" }, ...Array.from({ length: 12 }, (_, i) => ({ action_id: `a${String(20 - i).padStart(2, "0")}`, label: "L" }))];
    const { actions, items } = normalizeNextActions(raw);
    expect(actions.map((a) => a.action_id)).toEqual(["a11", "a12", "a13", "a14", "a15", "a16", "a17", "a18", "a19", "a20"]);
    expect(items).toEqual([
      { en: 'next_actions[0] dropped: "label" must be text of 1 to 1024 bytes', sv: 'next_actions[0] togs bort: "label" måste vara text på 1 till 1024 byte' },
      { en: "next_actions[11]–next_actions[12] dropped: at most 10 next actions are kept", sv: "next_actions[11]–next_actions[12] togs bort: högst 10 åtgärder behålls" },
    ]);
  });

  test("fields: invalid, unknown kinds and repeated names dropped; options cut; more than 25 dropped", () => {
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `V${i}` }));
    const fields = [
      field("a"),
      { kind: "date", name: "d", label: "D" },
      { kind: "file", name: "f", label: "F", min: 0, max: 1 },
      field("a"),
      { kind: "enum", name: "e", label: "E", options: options(150) },
      { kind: "multi_enum", name: "m", label: "M", options: options(250) },
      { kind: "enum", name: "e2", label: "E2", options: [{ value: "", label: "X" }] },
      { kind: "integer", name: "i", label: "I", min: 3, max: 1 },
      ...Array.from({ length: 30 }, (_, i) => field(`f${i}`)),
    ];
    const { actions, items } = normalizeNextActions([{ action_id: "go", label: "Go", fields }]);
    const kept = actions[0]!.fields;
    expect(kept).toHaveLength(25);
    expect(kept.map((x) => x.name).slice(0, 4)).toEqual(["a", "e", "m", "f0"]);
    expect((kept[1] as { options: unknown[] }).options).toHaveLength(100);
    expect((kept[2] as { options: unknown[] }).options).toHaveLength(200);
    expect(kept[24]!.name).toBe("f21");
    expect(items).toEqual([
      {
        en: 'next_actions[0].fields[1] dropped: /kind: Unknown field kind "date". Use one of: string, text, integer, number, boolean, enum, multi_enum',
        sv: 'next_actions[0].fields[1] togs bort: /kind: Okänd fälttyp "date". Använd en av: string, text, integer, number, boolean, enum, multi_enum',
      },
      {
        en: 'next_actions[0].fields[2] dropped: /kind: Unknown field kind "file". Use one of: string, text, integer, number, boolean, enum, multi_enum',
        sv: 'next_actions[0].fields[2] togs bort: /kind: Okänd fälttyp "file". Använd en av: string, text, integer, number, boolean, enum, multi_enum',
      },
      { en: 'next_actions[0].fields[3] dropped: repeats the name "a"', sv: 'next_actions[0].fields[3] togs bort: upprepar namnet "a"' },
      { en: "next_actions[0].fields[4]: options cut from 150 to 100", sv: "next_actions[0].fields[4]: alternativ kortade från 150 till 100" },
      { en: "next_actions[0].fields[5]: options cut from 250 to 200", sv: "next_actions[0].fields[5]: alternativ kortade från 250 till 200" },
      {
        en: "next_actions[0].fields[6] dropped: /options/0/value: The option needs a value (text)",
        sv: "next_actions[0].fields[6] togs bort: /options/0/value: Alternativet behöver ett värde (text)",
      },
      {
        en: "next_actions[0].fields[7] dropped: /max: max must be at least as large as min",
        sv: "next_actions[0].fields[7] togs bort: /max: max måste vara minst lika stort som min",
      },
      {
        en: "next_actions[0].fields[30]–next_actions[0].fields[37] dropped: at most 25 fields per action are kept",
        sv: "next_actions[0].fields[30]–next_actions[0].fields[37] togs bort: högst 25 fält per åtgärd behålls",
      },
    ]);
  });

  test("prefill: entries for kept fields that fit are kept, sorted; others removed with a reason", () => {
    const { actions, items } = normalizeNextActions([
      {
        action_id: "go",
        label: "Go",
        fields: [
          field("namn"),
          { kind: "integer", name: "antal", label: "Antal", max: 10 },
          { kind: "enum", name: "färg", label: "Färg", options: [{ value: "röd", label: "Röd" }] },
          { kind: "boolean", name: "ok", label: "OK" },
          { kind: "multi_enum", name: "m", label: "M", options: [{ value: "a", label: "A" }] },
        ],
        prefill: { ok: "yes", namn: "  Anna ", antal: 11, färg: "röd", okänd: 1, m: ["a", "a"], tom: null },
      },
      { action_id: "two", label: "Two", fields: [field("x")], prefill: { x: "" } },
      { action_id: "three", label: "Three", prefill: "x" },
    ]);
    expect(JSON.stringify(actions[0]!.prefill)).toBe('{"färg":"röd","m":["a"],"namn":"Anna"}');
    expect(Object.hasOwn(actions[2]!, "prefill")).toBe(false); // "two": an empty prefill is not stored
    expect(items).toEqual([
      { en: 'next_actions[0].prefill["antal"] removed: the value does not fit the field (Enter 10 or less)', sv: 'next_actions[0].prefill["antal"] togs bort: värdet passar inte fältet (Ange 10 eller mindre)' },
      { en: 'next_actions[0].prefill["ok"] removed: the value does not fit the field (Choose yes or no)', sv: 'next_actions[0].prefill["ok"] togs bort: värdet passar inte fältet (Välj ja eller nej)' },
      { en: 'next_actions[0].prefill["okänd"] removed: no field has this name', sv: 'next_actions[0].prefill["okänd"] togs bort: inget fält har det namnet' },
      { en: 'next_actions[0].prefill["tom"] removed: no field has this name', sv: 'next_actions[0].prefill["tom"] togs bort: inget fält har det namnet' },
      { en: "next_actions[2].prefill removed: not an object", sv: "next_actions[2].prefill togs bort: inte ett objekt" },
    ]);
  });

  test("actions over 128 KiB together are dropped from the end of the sorted list", () => {
    const options = Array.from({ length: 100 }, (_, i) => ({ value: `v${i}`, label: "l".repeat(1000) })); // ≈ 103 KB per action
    const raw = ["c", "a", "b"].map((id) => ({ action_id: id, label: id, fields: [{ kind: "enum", name: "e", label: "E", options }] }));
    const { actions, items } = normalizeNextActions(raw);
    expect(actions.map((a) => a.action_id)).toEqual(["a"]);
    expect(items).toEqual([
      { en: "next_actions[0] dropped: all next actions together would exceed 131072 bytes", sv: "next_actions[0] togs bort: alla åtgärder tillsammans skulle överskrida 131072 byte" },
      { en: "next_actions[2] dropped: all next actions together would exceed 131072 bytes", sv: "next_actions[2] togs bort: alla åtgärder tillsammans skulle överskrida 131072 byte" },
    ]);
  });

  test("action notices are appended after the output notices", () => {
    const { notices } = normalizePayload({ outputs: [{ kind: "x" }], next_actions: [{ action_id: "a" }] });
    expect(notices.map((n) => n.message.split(":")[1])).toEqual([" Some outputs were dropped", " Some next actions were changed"]);
  });
});

describe("system notices", () => {
  test("extra notes from the caller become their own notice, in order, after the grouped ones", () => {
    expect(stored([md("x")], [], [{ en: "First.", sv: "Första." }, { en: "Second.", sv: "Andra." }])).toBe(
      '{"contract_version":2,"outputs":[{"kind":"markdown","markdown":"x"},' +
        '{"kind":"notice","level":"warning","message":"System notice: First.\\nSystemmeddelande: Första."},' +
        '{"kind":"notice","level":"warning","message":"System notice: Second.\\nSystemmeddelande: Andra."}],"next_actions":[]}',
    );
  });

  test("every notice is a warning that starts with the prefix and stays under 8 KiB", () => {
    const outputs = Array.from({ length: 30 }, (_, i) => ({ kind: `${"k".repeat(200)}${i}` }));
    const { notices } = normalizePayload({ outputs, next_actions: [], extraNotices: [{ en: "e".repeat(10_000), sv: "s".repeat(10_000) }] });
    expect(notices).toHaveLength(2);
    for (const n of notices) {
      expect(n.kind).toBe("notice");
      expect(n.level).toBe("warning");
      expect(n.message).toStartWith("System notice: ");
      expect(n.message).toContain("\nSystemmeddelande: ");
      expect(utf8Length(n.message)).toBeLessThanOrEqual(8192);
    }
    expect(notices[0]!.message).toEndWith("; och 20 till.");
  });
});

describe("invariants over many generated inputs", () => {
  // a small deterministic generator (mulberry32) so failures reproduce
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function output(r: () => number): unknown {
    const pick = Math.floor(r() * 8);
    const size = Math.floor(r() * r() * 120_000);
    switch (pick) {
      case 0:
        return md("m".repeat(size));
      case 1:
        return { kind: "html_sandboxed", html: "h".repeat(size) };
      case 2:
        return { kind: "notice", level: r() < 0.8 ? "info" : "nope", message: "n".repeat(size % 10_000) };
      case 3:
        return { kind: "table", columns: [{ key: "a", label: "A" }], rows: Array.from({ length: size % 1000 }, (_, i) => ({ a: i })) };
      case 4:
        return { kind: "json", value: Array.from({ length: size % 3000 }, (_, i) => ({ i, s: "x".repeat(i % 50) })) };
      case 5:
        return { kind: "vega_lite", spec: r() < 0.5 ? { data: { url: "x" } } : { mark: "bar" } };
      case 6:
        return { kind: "unknown" };
      default:
        return "garbage";
    }
  }

  test("≤ 50 outputs, ≤ 256 KiB, deterministic, idempotent", () => {
    const r = random(42);
    for (let run = 0; run < 25; run++) {
      const outputs = Array.from({ length: Math.floor(r() * 90) }, () => output(r));
      const actions = Array.from({ length: Math.floor(r() * 14) }, (_, i) => ({ action_id: `a${Math.floor(r() * 12)}`, label: `L${i}`, fields: [] }));
      const first = normalizePayload({ outputs, next_actions: actions });
      expect(first.payload.outputs.length).toBeLessThanOrEqual(50);
      expect(jsonBytes(first.payload)).toBeLessThanOrEqual(262_144);
      expect(first.payload.next_actions.length).toBeLessThanOrEqual(10);
      expect(JSON.stringify(normalizePayload({ outputs, next_actions: actions }).payload)).toBe(JSON.stringify(first.payload));
      const again = normalizePayload({ outputs: first.payload.outputs, next_actions: first.payload.next_actions });
      expect(again.notices).toEqual([]);
      expect(JSON.stringify(again.payload)).toBe(JSON.stringify(first.payload));
    }
  });
});
