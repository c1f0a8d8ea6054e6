"""Visa CSV som tabell: the first row holds the headers, every other row becomes a table row.

Test data for `skriptoteket tool import` (contract version 2): one file upload, an optional
heading, and a saved setting for the delimiter.
"""
import csv
import io
import os

from skriptoteket_toolkit import list_input_files, read_inputs, read_settings
from tool_errors import ToolUserError

MAX_ROWS = 750  # the table cap of the tool contract; more rows would be cut with a system notice
DELIMITERS = {";": ";", ",": ",", "tab": "\t"}


def _read_text(path):
    with open(path, "rb") as handle:
        data = handle.read()
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Sweden often saves CSV as Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen går inte att läsa som text. Spara den som CSV (UTF-8) och försök igen.")


def _delimiter(text, choice):
    if choice in DELIMITERS:
        return DELIMITERS[choice]
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def run_tool(input_dir, output_dir):
    files = list_input_files()
    if not files:
        raise ToolUserError("Ladda upp en CSV-fil.")
    upload = files[0]
    text = _read_text(upload["path"])
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text, read_settings().get("avgransare"))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ToolUserError("Filen är tom.")

    headers = [h.strip() or f"Kolumn {i + 1}" for i, h in enumerate(rows[0])]
    columns = [{"key": f"c{i}", "label": h} for i, h in enumerate(headers)]
    body = [{f"c{i}": (r[i].strip() if i < len(r) else None) for i in range(len(headers))} for r in rows[1:]]

    outputs = []
    if len(body) > MAX_ROWS:
        outputs.append({"kind": "notice", "level": "warning", "message": f"Visar de första {MAX_ROWS} av {len(body)} raderna."})
        body = body[:MAX_ROWS]
    title = str(read_inputs().get("rubrik") or os.path.basename(upload["name"]))
    outputs.append({"kind": "table", "title": title, "columns": columns, "rows": body})
    outputs.append({"kind": "notice", "level": "info", "message": f"{len(body)} rader, {len(headers)} kolumner."})
    return {"outputs": outputs}
