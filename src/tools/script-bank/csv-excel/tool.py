"""CSV ⇄ Excel: CSV (or tab-separated text) becomes .xlsx, and every sheet of an .xlsx becomes a CSV.

Reading CSV: the encoding is detected (UTF-16 and UTF-8 by their BOM, then strict UTF-8, else
Windows-1252, which is what Swedish Excel writes), and so is the delimiter (; , tab |). Numbers such
as "12,5" or "1 250" become numbers in Excel when asked, but values that only look like numbers
keep their text: leading zeros (phone numbers, "012 34"), and long digit strings (ID numbers).
Writing CSV: the chosen delimiter and encoding (UTF-8 with BOM by default, so Excel shows å ä ö
right); dates as 2025-12-19; decimal comma when the delimiter is a semicolon, as Swedish Excel expects.
"""
import csv
import datetime
import io
import os
import re
import zipfile

from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

DELIMITERS = {"semikolon": ";", "komma": ",", "tabb": "\t"}
DELIMITER_NAMES = {";": "semikolon", ",": "komma", "\t": "tabb", "|": "lodstreck"}
ENCODINGS = {"utf-8-sig": "UTF-8 med BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
ENCODING_NAMES = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8 med BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
PLAIN_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,8})([.,]\d+)?$")  # ≥ 10 digits is an ID, not an amount
GROUPED_NUMBER = re.compile(r"^-?[1-9]\d{0,2}([ \u00a0]\d{3})+([.,]\d+)?$")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
PREVIEW_ROWS = 10
MAX_COLUMNS_SHOWN = 40


# ---------- CSV → Excel ----------

def detect_encoding(data):
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_delimiter(text):
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text.splitlines() else ""
        counts = {d: first.count(d) for d in ";,\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ";"


def read_csv(upload):
    with open(upload["path"], "rb") as handle:
        data = handle.read()
    if not data.strip():
        raise ToolUserError("Filen %s är tom." % upload["name"])
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ToolUserError("Filen %s går inte att läsa som text." % upload["name"]) from exc
    if "\x00" in text:
        raise ToolUserError("Filen %s ser inte ut att vara en textfil (CSV)." % upload["name"])
    delimiter = detect_delimiter(text)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ToolUserError("Filen %s innehåller inga rader." % upload["name"])
    return rows, encoding, delimiter


def as_number(text):
    value = text.strip()
    if PLAIN_NUMBER.match(value) or GROUPED_NUMBER.match(value):
        number = float(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        return int(number) if number.is_integer() and not re.search(r"[.,]", value) else number
    return None


def _sheet_name(text, used):
    base = SHEET_NAME_BAD.sub("", text).strip("' ")[:31] or "Blad"
    name, n = base, 2
    while name.lower() in used:
        suffix = " (%d)" % n
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def fill_sheet(sheet, rows, convert_numbers):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    width = max(len(r) for r in rows)
    widths = [8] * width
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            value = text
            if convert_numbers and r > 1:
                number = as_number(text)
                if number is not None:
                    value = number
            cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
            if isinstance(value, str):
                cell.number_format = "@"  # keeps "0701234567" and "012 34" as text when edited in Excel
            widths[c - 1] = max(widths[c - 1], min(60, len(text) + 2))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = "A1:%s%d" % (get_column_letter(width), len(rows))


# ---------- Excel → CSV ----------

def cell_text(value, decimal_comma):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value and decimal_comma else ("FALSKT" if decimal_comma else ("TRUE" if value else "FALSE"))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def read_workbook(upload):
    import openpyxl

    try:
        values = openpyxl.load_workbook(upload["path"], data_only=True)
        formulas = openpyxl.load_workbook(upload["path"], data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ToolUserError("Filen %s kunde inte öppnas som Excel-fil (.xlsx). Öppna den i Excel och spara den igen." % upload["name"]) from exc
    sheets = []
    for sheet in values.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        uncomputed = 0
        for row_values, row_formulas in zip(rows, formulas[sheet.title].iter_rows(values_only=True)):
            uncomputed += sum(1 for v, f in zip(row_values, row_formulas) if v is None and isinstance(f, str) and f.startswith("="))
        while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
            rows.pop()
        width = max((max((i + 1 for i, v in enumerate(r) if v is not None and str(v).strip() != ""), default=0) for r in rows), default=0)
        sheets.append((sheet.title, [r[:width] for r in rows], uncomputed))
    return sheets


def _stem(name):
    return re.sub(r"[^\w\-åäöÅÄÖ]+", "-", os.path.splitext(name)[0]).strip("-") or "fil"


def _unique(path):
    base, ext = os.path.splitext(path)
    n = 2
    while os.path.exists(path):
        path, n = "%s-%d%s" % (base, n, ext), n + 1
    return path


def run_tool(input_dir, output_dir):
    import openpyxl

    inputs = read_inputs()
    files = list_input_files()
    if not files:
        raise ToolUserError("Ladda upp minst en CSV- eller Excel-fil.")
    out_delimiter = DELIMITERS.get(inputs.get("avgransare"), ";")
    out_encoding = inputs.get("kodning") if inputs.get("kodning") in ENCODINGS else "utf-8-sig"
    convert_numbers = inputs.get("tolka_tal", True) is not False
    one_workbook = inputs.get("en_arbetsbok") is True
    decimal_comma = out_delimiter == ";"

    report, notices, preview = [], [], None
    combined, used_names = None, set()
    for upload in files:
        name = upload["name"]
        with open(upload["path"], "rb") as handle:
            head = handle.read(4)
        if name.lower().endswith(".xlsx") or head == b"PK\x03\x04":
            sheets = read_workbook(upload)
            written = 0
            for title, rows, uncomputed in sheets:
                if not rows:
                    notices.append("Fliken \"%s\" i %s är tom och hoppades över." % (title, name))
                    continue
                target = _unique(os.path.join(output_dir, "%s%s.csv" % (_stem(name), "" if len(sheets) == 1 else "-" + _stem(title))))
                text_rows = [[cell_text(v, decimal_comma) for v in row] for row in rows]
                buffer = io.StringIO()
                csv.writer(buffer, delimiter=out_delimiter, lineterminator="\r\n").writerows(text_rows)
                data = buffer.getvalue().encode(out_encoding, errors="replace")
                if out_encoding == "cp1252" and data.count(b"?") > buffer.getvalue().count("?"):
                    notices.append("Några tecken i %s (%s) finns inte i Windows-1252 och blev frågetecken. Välj UTF-8 för att behålla dem." % (name, title))
                with open(target, "wb") as handle:
                    handle.write(data)
                written += 1
                if uncomputed:
                    notices.append("%d formler i %s (%s) saknar sparat värde och blev tomma. Öppna filen i Excel, spara den och försök igen." % (uncomputed, name, title))
                report.append({"fil": name, "flik": title, "rader": len(rows), "kolumner": max(len(r) for r in rows),
                               "resultat": os.path.basename(target),
                               "info": "%s, %s" % (ENCODINGS[out_encoding], DELIMITER_NAMES[out_delimiter])})
                if preview is None:
                    preview = (os.path.basename(target), text_rows)
            if not written:
                raise ToolUserError("Excel-filen %s har inga flikar med innehåll." % name)
            continue

        rows, encoding, delimiter = read_csv(upload)
        if one_workbook:
            if combined is None:
                combined = openpyxl.Workbook()
                combined.remove(combined.active)
            sheet = combined.create_sheet(_sheet_name(_stem(name), used_names))
            fill_sheet(sheet, rows, convert_numbers)
            result = "samlad.xlsx (flik %s)" % sheet.title
        else:
            workbook = openpyxl.Workbook()
            sheet = workbook.active
            sheet.title = _sheet_name(_stem(name), set())
            fill_sheet(sheet, rows, convert_numbers)
            target = _unique(os.path.join(output_dir, _stem(name) + ".xlsx"))
            workbook.save(target)
            result = os.path.basename(target)
        report.append({"fil": name, "flik": "", "rader": len(rows), "kolumner": max(len(r) for r in rows), "resultat": result,
                       "info": "Läst som %s, %s" % (ENCODING_NAMES[encoding], DELIMITER_NAMES[delimiter])})
        if preview is None:
            preview = (result, rows)
    if combined is not None:
        combined.save(os.path.join(output_dir, "samlad.xlsx"))

    outputs = [{"kind": "notice", "level": "info",
                "message": "%d %s klara. Ladda ned dem under Filer." % (len(report), "fil" if len(report) == 1 else "filer")}]
    outputs += [{"kind": "notice", "level": "warning", "message": text} for text in notices]
    outputs.append({"kind": "table", "title": "Konverterat", "columns": [
        {"key": "fil", "label": "Fil"}, {"key": "flik", "label": "Flik"}, {"key": "rader", "label": "Rader"},
        {"key": "kolumner", "label": "Kolumner"}, {"key": "resultat", "label": "Resultat"}, {"key": "info", "label": "Teckenkodning och avgränsare"}],
        "rows": report[:750]})
    if preview:
        title, rows = preview
        header = rows[0][:MAX_COLUMNS_SHOWN]
        columns = [{"key": "c%d" % i, "label": str(h) or "Kolumn %d" % (i + 1)} for i, h in enumerate(header)]
        outputs.append({"kind": "table", "title": "Förhandsvisning: %s (första %d raderna)" % (title, PREVIEW_ROWS), "columns": columns,
                        "rows": [{"c%d" % i: (row[i] if i < len(row) else "") for i in range(len(header))} for row in rows[1:PREVIEW_ROWS + 1]]})
    return {"outputs": outputs}
