"""Skriptoteket's contract test tool: one script that exercises every part of tool contract v2.

The form value `mode` picks what it does (the worker tests and the crash-safety test use it):
  kinds   every output kind, artifacts (also in a subfolder), echoes inputs, input files and settings
  steps   a two-step action flow: first run offers the action "add"; each action run adds to the state
  user    raises ToolUserError
  crash   an uncaught exception
  sleep   sleeps `seconds` (default 30), then succeeds
  oom     allocates memory until the sandbox kills it
  noop    returns at once (the benchmark's tool)
"""
import json
import os
import sys
import time

from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_memory, read_settings
from tool_errors import ToolUserError

ADD_ACTION = {
    "action_id": "add",
    "label": "Lägg till",
    "kind": "form",
    "fields": [{"kind": "integer", "name": "n", "label": "Hur många"}],
    "prefill": {"n": 1},
}


def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    if action_id is not None:
        count = int(state.get("count", 0)) + int(action_input.get("n", 1))
        return {
            "outputs": [{"kind": "notice", "level": "info", "message": "count=%d" % count}],
            "next_actions": [ADD_ACTION],
            "state": {"count": count, "history": list(state.get("history", [])) + [count]},
        }

    inputs = read_inputs()
    mode = inputs.get("mode", "kinds")
    if mode == "noop":
        return ""
    if mode == "user":
        raise ToolUserError("Filen saknar kolumnen 'Namn'.")
    if mode == "crash":
        return {"value": 1 / 0}
    if mode == "sleep":
        print("sleeping", flush=True)
        time.sleep(float(inputs.get("seconds", 30)))
        return {"outputs": [{"kind": "notice", "level": "info", "message": "slept"}]}
    if mode == "oom":
        hog = []
        while True:
            hog.append(bytearray(64 * 1024 * 1024))
    if mode == "steps":
        return {
            "outputs": [{"kind": "markdown", "markdown": "Steg 1"}],
            "next_actions": [ADD_ACTION],
            "state": {"count": 0},
        }

    # mode "kinds"
    files = list_input_files()
    contents = {}
    for f in files:
        with open(f["path"], "r", encoding="utf-8") as handle:
            contents[f["name"]] = handle.read()
    os.makedirs(os.path.join(output_dir, "sub"), exist_ok=True)
    with open(os.path.join(output_dir, "rapport.txt"), "w", encoding="utf-8") as handle:
        handle.write("Rapport för %s\n" % inputs.get("title", "?"))
    with open(os.path.join(output_dir, "sub", "data.bin"), "wb") as handle:
        handle.write(bytes(range(256)) * 4)
    print("hello from the tool")
    print("a warning", file=sys.stderr)
    return {
        "outputs": [
            {"kind": "notice", "level": "warning", "message": "Kontrollera uppgifterna."},
            {"kind": "markdown", "markdown": "# Resultat\n\nAllt **klart**."},
            {
                "kind": "table",
                "title": "Elever",
                "columns": [{"key": "namn", "label": "Namn"}, {"key": "poang", "label": "Poäng"}],
                "rows": [{"namn": "Ada", "poang": 12}, {"namn": "Bo", "poang": 9.5, "extra": "x"}],
            },
            {
                "kind": "json",
                "title": "Indata",
                "value": {
                    "inputs": inputs,
                    "files": files,
                    "contents": contents,
                    "settings": read_settings(),
                    "memory": read_memory(),
                    "env": {
                        k: os.environ.get(k)
                        for k in ("HOME", "XDG_CACHE_HOME", "SKRIPTOTEKET_ACTION", "SKRIPTOTEKET_ENTRYPOINT", "SKRIPTOTEKET_MEMORY_PATH")
                    },
                },
            },
            {"kind": "html_sandboxed", "html": "<p>Hej <b>världen</b></p>"},
            {
                "kind": "vega_lite",
                "spec": {"mark": "bar", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}},
            },
        ]
    }
