/**
 * The starter a new tool opens with (tool-contract.md, contract version 2): a working script that shows
 * every part of the contract once — form inputs, an uploaded file, a saved setting, every output kind,
 * a file to download (artifact), and next actions that continue from saved state — with schemas and
 * usage instructions to match. The lint test checks it has no findings, so it stays an example to copy.
 */

const SOURCE = `"""Startmall: visar varje del av verktygskontraktet (version 2).

Byt ut det du inte behöver. Körs som run_tool(input_dir, output_dir) i en sandlåda utan nätverk.
"""
import csv
import json
import os

from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_settings
from tool_errors import ToolUserError

# Knappar som visas efter resultatet (next actions). Ett tryck kör verktyget igen med action_id,
# fältens värden och det sparade tillståndet (state).
NEXT_ACTIONS = [
    {
        "action_id": "lagg_till",
        "label": "Lägg till en anteckning",
        "kind": "form",
        "fields": [{"kind": "string", "name": "anteckning", "label": "Anteckning", "required": True}],
    },
    {"action_id": "klar", "label": "Klar", "kind": "form", "fields": []},
]


def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    if action_id is not None:
        return continue_with(action_id, action_input, state)

    inputs = read_inputs()          # formulärets värden (input schema)
    settings = read_settings()      # användarens sparade inställningar (settings schema)
    files = list_input_files()      # uppladdade filer: [{"name", "path", "bytes"}]
    if not files:
        raise ToolUserError("Ladda upp en CSV-fil med kolumnerna namn och poang.")

    with open(files[0]["path"], encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter=settings.get("avgransare", ";"))]
    if not rows:
        raise ToolUserError("Filen har inga rader.")

    # En fil att ladda ner (artifact): allt under output_dir blir nedladdningsbart.
    report = os.path.join(output_dir, "sammanfattning.txt")
    with open(report, "w", encoding="utf-8") as out:
        out.write("%s: %d rader\\n" % (inputs.get("rubrik", "Resultat"), len(rows)))

    columns = [{"key": key, "label": key.capitalize()} for key in rows[0].keys()]
    return {
        "outputs": [
            {"kind": "notice", "level": "info", "message": "Läste %d rader från %s." % (len(rows), files[0]["name"])},
            {"kind": "markdown", "markdown": "## %s\\n\\nResultatet finns också som fil att ladda ner." % inputs.get("rubrik", "Resultat")},
            {"kind": "table", "title": "Rader", "columns": columns, "rows": rows},
            {"kind": "json", "title": "Indata", "value": {"inputs": inputs, "settings": settings}},
            {"kind": "html_sandboxed", "html": "<p>HTML visas i en ram <strong>utan skript</strong>.</p>"},
            {
                "kind": "vega_lite",
                "spec": {
                    "data": {"values": [{"rad": i + 1, "langd": len(json.dumps(row))} for i, row in enumerate(rows)]},
                    "mark": "bar",
                    "encoding": {"x": {"field": "rad", "type": "ordinal"}, "y": {"field": "langd", "type": "quantitative"}},
                },
            },
        ],
        "next_actions": NEXT_ACTIONS,
        "state": {"anteckningar": []},
    }


def continue_with(action_id, action_input, state):
    notes = list(state.get("anteckningar", []))
    if action_id == "lagg_till":
        notes.append(action_input.get("anteckning", ""))
        return {
            "outputs": [{"kind": "markdown", "markdown": "\\n".join("- %s" % note for note in notes)}],
            "next_actions": NEXT_ACTIONS,
            "state": {"anteckningar": notes},
        }
    return {"outputs": [{"kind": "notice", "level": "warning", "message": "Klart: %d anteckningar." % len(notes)}]}
`;

const INPUT_SCHEMA = [
  { kind: "string", name: "rubrik", label: "Rubrik", required: true, max: 80, placeholder: "Åk 9 vt", help: "Står överst i resultatet." },
  { kind: "file", name: "fil", label: "CSV-fil", accept: [".csv"], min: 1, max: 1, help: "Kolumnerna namn och poang." },
];

const SETTINGS_SCHEMA = [
  {
    kind: "enum",
    name: "avgransare",
    label: "Avgränsare i CSV-filen",
    options: [
      { value: ";", label: "Semikolon (;)" },
      { value: ",", label: "Komma (,)" },
    ],
    default: ";",
  },
];

const USAGE_INSTRUCTIONS = `## Så gör du

1. Skriv en **rubrik**.
2. Ladda upp en **CSV-fil** med kolumnerna \`namn\` och \`poang\`.
3. Tryck **Kör**. Du får en tabell, ett diagram och en fil att ladda ner.
`;

export interface StarterTemplate {
  source: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
}

export const STARTER_TEMPLATE: StarterTemplate = {
  source: SOURCE,
  entrypoint: "run_tool",
  input_schema: INPUT_SCHEMA,
  settings_schema: SETTINGS_SCHEMA,
  usage_instructions: USAGE_INSTRUCTIONS,
};
