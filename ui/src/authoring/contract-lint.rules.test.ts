import { describe, expect, test } from "bun:test";
import { lintToolSource, nearestWord, type LintFinding } from "./contract-lint.rules";
import { STARTER_TEMPLATE } from "./starter-template";

const lint = (source: string, entrypoint = "run_tool") => lintToolSource(source, { entrypoint });
const codes = (findings: LintFinding[]) => findings.map((f) => f.code);
const apply = (source: string, finding: LintFinding): string => {
  const changes = [...(finding.fix?.changes ?? [])].sort((a, b) => b.from - a.from);
  return changes.reduce((text, c) => text.slice(0, c.from) + c.insert + text.slice(c.to), source);
};
const ENTRY = "def run_tool(input_dir, output_dir):\n    return {}\n";

describe("the starter template", () => {
  test("has no findings at all", () => {
    expect(lint(STARTER_TEMPLATE.source, STARTER_TEMPLATE.entrypoint)).toEqual([]);
  });
});

describe("output, action and field kinds", () => {
  test("an unknown kind is an error at the value, with the nearest known kind as a fix", () => {
    const source = `${ENTRY}OUT = {"kind": "tabel", "columns": [], "rows": []}\n`;
    const [finding] = lint(source);
    expect(finding?.code).toBe("unknown_kind");
    expect(finding?.severity).toBe("error");
    expect(source.slice(finding!.from, finding!.to)).toBe('"tabel"');
    expect(finding?.params.kind).toBe("tabel");
    expect(finding?.fix?.detail).toBe("table");
    expect(apply(source, finding!)).toContain('{"kind": "table", "columns"');
    expect(lint(apply(source, finding!))).toEqual([]);
  });

  test("a far-off kind gets no guess", () => {
    const [finding] = lint(`${ENTRY}X = {"kind": "chart", "spec": {}}\n`);
    expect(finding?.code).toBe("unknown_kind");
    expect(finding?.fix).toBeUndefined();
  });

  test("action kind form and every field kind are known; single quotes work too", () => {
    const source = `${ENTRY}A = {'kind': 'form', 'action_id': 'a', 'label': 'A', 'fields': [{'kind': 'multi_enum', 'name': 'x', 'label': 'X', 'options': []}, {"kind": "file", "name": "f", "label": "F"}]}\n`;
    expect(lint(source)).toEqual([]);
  });

  test("missing keys are listed and the fix inserts placeholders", () => {
    const source = `${ENTRY}N = {"kind": "notice", "message": "hej"}\nT = {"kind": "table", "title": "x"}\n`;
    const findings = lint(source);
    expect(codes(findings)).toEqual(["missing_keys", "missing_keys"]);
    expect(findings[0]!.params).toEqual({ kind: "notice", keys: "level" });
    expect(findings[1]!.params).toEqual({ kind: "table", keys: "columns, rows" });
    const fixed = apply(source, findings[0]!);
    expect(fixed).toContain('N = {"level": "info", "kind": "notice", "message": "hej"}');
    expect(codes(lint(fixed))).toEqual(["missing_keys"]);
  });

  test("a dict with **spread is not judged for missing keys", () => {
    expect(lint(`${ENTRY}N = {"kind": "notice", **base}\n`)).toEqual([]);
  });

  test("keys of nested dicts do not count for the outer one", () => {
    const source = `${ENTRY}J = {"kind": "json", "title": "t", "extra": {"value": 1}}\n`;
    expect(lint(source)[0]?.params).toEqual({ kind: "json", keys: "value" });
  });

  test("kind written in a comment or a docstring is ignored", () => {
    expect(lint(`"""{"kind": "tabel"}"""\n# {"kind": "tabel"}\n${ENTRY}`)).toEqual([]);
  });
});

describe("notice levels", () => {
  test.each([
    ["warn", "warning"],
    ["danger", "error"],
    ["Info", "info"],
    ["varning", "warning"],
  ])("%s is flagged and fixed to %s", (level, fixed) => {
    const source = `${ENTRY}N = {"kind": "notice", "level": "${level}", "message": "m"}\n`;
    const [finding] = lint(source);
    expect(finding?.code).toBe("bad_notice_level");
    expect(finding?.fix?.detail).toBe(fixed);
    expect(lint(apply(source, finding!))).toEqual([]);
  });

  test("a level held in a variable is not judged", () => {
    expect(lint(`${ENTRY}N = {"kind": "notice", "level": level, "message": "m"}\n`)).toEqual([]);
  });
});

describe("network libraries and other programs", () => {
  test.each(["import requests", "import urllib.request", "from urllib.request import urlopen", "from urllib import request", "import socket", "import http.client", "from http import client", "import httpx as h"])(
    "%s is a warning that can be removed",
    (line) => {
      const source = `${line}\n${ENTRY}`;
      const [finding] = lint(source);
      expect(finding?.code).toBe("network_import");
      expect(finding?.severity).toBe("warning");
      expect(finding?.fix?.code).toBe("remove_import");
      expect(apply(source, finding!)).toBe(ENTRY);
    },
  );

  test("harmless relatives are not flagged", () => {
    expect(lint(`import urllib.parse\nfrom http import HTTPStatus\nimport json, csv\n${ENTRY}`)).toEqual([]);
  });

  test("a network module among several imports is flagged without a line-removing fix", () => {
    const [finding] = lint(`import json, requests\n${ENTRY}`);
    expect(finding?.params.module).toBe("requests");
    expect(finding?.fix).toBeUndefined();
  });

  test("subprocess imports and os.system/os.popen calls are flagged", () => {
    const source = `import os\nimport subprocess\n${ENTRY}def f():\n    os.system("ls")\n    os.popen("ls")\n    os.path.join("a")\n`;
    const findings = lint(source);
    expect(codes(findings)).toEqual(["subprocess_import", "process_call", "process_call"]);
    expect(findings.map((f) => f.params.call ?? f.params.module)).toEqual(["subprocess", "os.system", "os.popen"]);
    expect(source.slice(findings[1]!.from, findings[1]!.to)).toBe("os.system");
  });
});

describe("the entrypoint", () => {
  test("missing: an error naming it", () => {
    const [finding] = lint("def main(a, b):\n    return {}\n");
    expect(finding?.code).toBe("entrypoint_missing");
    expect(finding?.params.name).toBe("run_tool");
  });

  test("the chosen entrypoint is looked for, only at the top level", () => {
    expect(codes(lint("class A:\n    def main(self, a, b):\n        pass\n", "main"))).toEqual(["entrypoint_missing"]);
    expect(lint("def main(input_dir, output_dir):\n    pass\n", "main")).toEqual([]);
  });

  test("async and too few parameters are errors; *args is fine", () => {
    expect(codes(lint("async def run_tool(a, b):\n    pass\n"))).toEqual(["entrypoint_async"]);
    expect(codes(lint("def run_tool(a):\n    pass\n"))).toEqual(["entrypoint_params"]);
    expect(lint("def run_tool(*args):\n    pass\n")).toEqual([]);
    expect(lint("def run_tool(\n    input_dir,\n    output_dir: str = '/work/output',\n):\n    pass\n")).toEqual([]);
  });
});

describe("ToolUserError", () => {
  test("used without the import: the fix adds it after the docstring", () => {
    const source = `"""My tool."""\nimport csv\n\n\ndef run_tool(input_dir, output_dir):\n    raise ToolUserError("Ladda upp en fil.")\n`;
    const [finding] = lint(source);
    expect(finding?.code).toBe("tool_user_error_import");
    const fixed = apply(source, finding!);
    expect(fixed.startsWith(`"""My tool."""\nfrom tool_errors import ToolUserError\nimport csv\n`)).toBe(true);
    expect(lint(fixed)).toEqual([]);
  });

  test("imported either way: no finding", () => {
    expect(lint(`from tool_errors import ToolUserError\n${ENTRY}raise ToolUserError("x")\n`)).toEqual([]);
    expect(lint(`import tool_errors\n${ENTRY}raise tool_errors.ToolUserError("x")\n`)).toEqual([]);
  });
});

describe("robustness", () => {
  test("unterminated strings and brackets do not throw", () => {
    expect(() => lint('x = {"kind": "notice\ndef run_tool(a, b:\n')).not.toThrow();
    expect(() => lint("")).not.toThrow();
  });

  test("nearestWord only accepts plausible slips", () => {
    expect(nearestWord("markdwn", ["markdown", "json"])).toBe("markdown");
    expect(nearestWord("JSON", ["markdown", "json"])).toBe("json");
    expect(nearestWord("picture", ["markdown", "json"])).toBeNull();
  });
});
