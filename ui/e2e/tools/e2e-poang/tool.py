"""Poängsammanställning (browser journey test tool): a CSV of names and points → a notice, a table,
a bar chart and two files (a text report and the table as CSV)."""
import csv
import io
import os

from skriptoteket_toolkit import list_input_files, read_inputs, read_settings
from tool_errors import ToolUserError


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    settings = read_settings()
    files = list_input_files()
    if not files:
        raise ToolUserError("Ladda upp elevlistan.")
    with open(files[0]["path"], encoding="utf-8-sig") as handle:
        text = handle.read()
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    rows = []
    for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
        name = (row.get("namn") or "").strip()
        if not name:
            continue
        try:
            points = float((row.get("poang") or "").replace(",", "."))
        except ValueError:
            raise ToolUserError("Kolumnen poang måste innehålla tal (rad för %s)." % name)
        rows.append({"namn": name, "poang": points, "andel": round(100 * points / inputs["maxpoang"])})
    if not rows:
        raise ToolUserError("Elevlistan har inga elever.")
    key = "poang" if settings.get("sortering") == "poang" else "namn"
    rows.sort(key=lambda r: r[key], reverse=(key == "poang"))
    os.makedirs(os.path.join(output_dir, "bilagor"), exist_ok=True)
    with open(os.path.join(output_dir, "rapport.txt"), "w", encoding="utf-8") as out:
        out.write("%s\n%s\n" % (inputs["rubrik"], "\n".join("%s: %s" % (r["namn"], r["poang"]) for r in rows)))
    with open(os.path.join(output_dir, "bilagor", "poäng.csv"), "w", encoding="utf-8") as out:
        out.write("namn;poang\n" + "".join("%s;%s\n" % (r["namn"], r["poang"]) for r in rows))
    return {
        "outputs": [
            {"kind": "notice", "level": "info", "message": "%s: %d elever, sorterade efter %s." % (inputs["rubrik"], len(rows), key)},
            {
                "kind": "table",
                "title": "Poäng per elev",
                "columns": [{"key": "namn", "label": "Namn"}, {"key": "poang", "label": "Poäng"}, {"key": "andel", "label": "Andel (%)"}],
                "rows": rows,
            },
            {
                "kind": "vega_lite",
                "spec": {
                    "description": "Poäng per elev",
                    "data": {"values": rows},
                    "mark": "bar",
                    "encoding": {
                        "x": {"field": "namn", "type": "nominal", "title": "Elev", "sort": None},
                        "y": {"field": "poang", "type": "quantitative", "title": "Poäng"},
                    },
                },
            },
        ]
    }
