"""Namnlappar: name tags or labels from a class list, as a PDF for A4 label sheets (reportlab).

Formats follow common A4 label sheets (3×8 = 24 labels of 70×37 mm, …). Each name is centred on its
label; a name too wide for the label is shrunk (never below MIN_FONT_SIZE) and then wrapped on two
lines. Options: font size, first name only, an extra line (e.g. the class), copies per name,
skipping already used labels on the first sheet, and thin cut lines for plain paper.
"""
import csv
import io
import os
import re
import zipfile

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

# columns × rows, label width × height in mm; the labels fill the sheet edge to edge horizontally
# and are centred vertically (the sheets' own top/bottom margins).
FORMATS = {
    "3x8": (3, 8, 70.0, 37.0),
    "3x7": (3, 7, 70.0, 42.3),
    "3x10": (3, 10, 70.0, 29.7),
    "2x7": (2, 7, 105.0, 42.3),
    "2x4": (2, 4, 105.0, 74.0),
}
FONT_FILES = {
    "Namn": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "Extra": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
}
MIN_FONT_SIZE = 7
LINE_HEIGHT = 1.15
PADDING = 3 * mm
MAX_LABELS = 5000
NAME_HEADER = re.compile(r"^(elev|elevens namn|elevnamn|elev namn|namn|name|barn|fullständigt namn|deltagare)$", re.IGNORECASE)
FIRST_NAME_HEADER = re.compile(r"^(förnamn|elevens förnamn|tilltalsnamn|first ?name)$", re.IGNORECASE)
LAST_NAME_HEADER = re.compile(r"^(efternamn|elevens efternamn|last ?name|surname)$", re.IGNORECASE)
CLASS_HEADER = re.compile(r"^(klass|grupp|avdelning|class)$", re.IGNORECASE)


def _fonts():
    """(name font, extra font): Liberation Sans from the image, Helvetica if it is missing."""
    try:
        for name, path in FONT_FILES.items():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path))
        return "Namn", "Extra"
    except Exception:  # reportlab raises its own TTFError and OSError; the built-in fonts still cover å ä ö
        return "Helvetica-Bold", "Helvetica"


# ---------- names ----------

def _decode(data, name):
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text. Spara den som CSV (UTF-8)." % name)


def _rows_of(upload):
    name = upload["name"]
    with open(upload["path"], "rb") as handle:
        data = handle.read()
    if not data.strip():
        raise ToolUserError("Filen %s är tom." % name)
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(upload["path"], read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ToolUserError("Filen %s kunde inte öppnas som Excel-fil (.xlsx)." % name) from exc
        rows = [["" if v is None else str(v).strip() for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return rows
    text = _decode(data, name)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        return [[line.strip()] for line in text.splitlines()]
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def people_from_file(upload):
    """[(name, class)] from a class list; a file of bare lines is one name per line."""
    rows = _rows_of(upload)
    for index, row in enumerate(rows[:20]):
        first = next((i for i, h in enumerate(row) if FIRST_NAME_HEADER.match(h)), None)
        last = next((i for i, h in enumerate(row) if LAST_NAME_HEADER.match(h)), None)
        full = next((i for i, h in enumerate(row) if NAME_HEADER.match(h)), None)
        klass = next((i for i, h in enumerate(row) if CLASS_HEADER.match(h)), None)
        if first is None and last is None and full is None:
            continue
        people = []
        for data_row in rows[index + 1:]:
            def cell(i):
                return data_row[i].strip() if i is not None and i < len(data_row) else ""
            name = " ".join(p for p in (cell(first), cell(last)) if p) if (first is not None or last is not None) else cell(full)
            if name:
                people.append((name, cell(klass)))
        return people
    if rows and all(len([c for c in row if c]) <= 1 for row in rows):
        return [(next(c for c in row if c), "") for row in rows if any(row)]
    raise ToolUserError(
        "Hittade ingen namnkolumn i %s. Ge kolumnen rubriken \"Namn\" eller \"Elev\" (eller \"Förnamn\" och \"Efternamn\")."
        % upload["name"]
    )


def display_name(name, first_only):
    name = re.sub(r"\s+", " ", name).strip()
    if "," in name:  # "Andersson, Alva" as many registers write it
        last, _, first = name.partition(",")
        name = "%s %s" % (first.strip(), last.strip())
    if first_only:
        return name.split(" ")[0]
    return name


# ---------- drawing ----------

def _largest_size(lines, font, size, width, height):
    """The largest size ≤ size (in steps of 0.5) at which every line fits the width and all fit the height."""
    current = size
    while current > MIN_FONT_SIZE and (
        any(pdfmetrics.stringWidth(l, font, current) > width for l in lines) or len(lines) * current * LINE_HEIGHT > height
    ):
        current -= 0.5
    return current


def _fit_lines(text, font, size, width, height):
    """(lines, size): the name on one line, or on two (split at the best space) when that allows a
    clearly larger text; never below MIN_FONT_SIZE."""
    one = _largest_size([text], font, size, width, height)
    words = text.split(" ")
    if one >= size or len(words) < 2:
        return [text], one
    splits = [[" ".join(words[:cut]), " ".join(words[cut:])] for cut in range(1, len(words))]
    lines = min(splits, key=lambda pair: max(pdfmetrics.stringWidth(l, font, 1) for l in pair))
    two = _largest_size(lines, font, size, width, height)
    return (lines, two) if two > one * 1.15 else ([text], one)


def draw_labels(path, labels, layout, font_size, skip, cut_lines, title):
    columns, rows, width_mm, height_mm = layout
    width, height = width_mm * mm, height_mm * mm
    page_width, page_height = A4
    left = (page_width - columns * width) / 2
    top = page_height - (page_height - rows * height) / 2
    name_font, extra_font = _fonts()
    per_page = columns * rows
    pdf = canvas.Canvas(path, pagesize=A4)
    pdf.setTitle(title)
    pdf.setAuthor("Skriptoteket")
    slots = [None] * skip + labels
    for index, label in enumerate(slots):
        position = index % per_page
        if index and position == 0:
            pdf.showPage()
        if label is None:
            continue
        column, row = position % columns, position // columns
        x, y = left + column * width, top - (row + 1) * height
        if cut_lines:
            pdf.setStrokeColorRGB(0.75, 0.75, 0.75)
            pdf.setLineWidth(0.3)
            pdf.rect(x, y, width, height)
        name, extra = label
        usable = width - 2 * PADDING
        extra_size = 0
        extra_lines = []
        if extra:
            extra_lines, extra_size = _fit_lines(extra, extra_font, max(MIN_FONT_SIZE, min(font_size * 0.6, 16)), usable, height * 0.3)
            extra_lines = extra_lines[:1]
        lines, size = _fit_lines(name, name_font, font_size, usable, height - 2 * PADDING - extra_size * 1.6)
        block = len(lines) * size * LINE_HEIGHT + (extra_size * 1.6 if extra else 0)
        baseline = y + height / 2 + block / 2 - size * 0.9
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(name_font, size)
        for line in lines:
            pdf.drawCentredString(x + width / 2, baseline, line)
            baseline -= size * LINE_HEIGHT
        if extra:
            pdf.setFont(extra_font, extra_size)
            pdf.setFillColorRGB(0.25, 0.25, 0.25)
            pdf.drawCentredString(x + width / 2, baseline - extra_size * 0.3, extra_lines[0])
    pdf.showPage()
    pdf.save()
    return (len(slots) + per_page - 1) // per_page


def _int(inputs, key, default, low, high):
    value = inputs.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, int(value)))


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    files = list_input_files()
    typed = str(inputs.get("namn") or "")
    if files and typed.strip():
        raise ToolUserError("Skriv namnen eller ladda upp en klasslista – inte båda.")
    if files:
        people = people_from_file(files[0])
    else:
        people = [(line.strip(), "") for line in typed.splitlines() if line.strip()]
    if not people:
        raise ToolUserError("Det finns inga namn att skriva ut. Skriv namnen (ett per rad) eller ladda upp en klasslista.")

    layout_key = inputs.get("format") if inputs.get("format") in FORMATS else "3x8"
    layout = FORMATS[layout_key]
    font_size = _int(inputs, "teckenstorlek", 20, MIN_FONT_SIZE, 96)
    copies = _int(inputs, "kopior", 1, 1, 50)
    skip = _int(inputs, "hoppa_over", 0, 0, 10 ** 6)
    if skip >= layout[0] * layout[1]:
        raise ToolUserError("Arket har %d etiketter, så du kan hoppa över högst %d." % (layout[0] * layout[1], layout[0] * layout[1] - 1))
    extra_mode = str(inputs.get("extra_rad") or "").strip()
    first_only = inputs.get("bara_fornamn") is True
    cut_lines = inputs.get("stodlinjer", True) is not False

    labels = []
    for name, klass in people:
        extra = klass if extra_mode.lower() == "klass" else extra_mode
        labels.extend([(display_name(name, first_only), extra)] * copies)
    if len(labels) > MAX_LABELS:
        raise ToolUserError("Det blir %d etiketter. Verktyget gör högst %d åt gången." % (len(labels), MAX_LABELS))

    file_name = "namnlappar-%s.pdf" % layout_key
    pages = draw_labels(os.path.join(output_dir, file_name), labels, layout, font_size, skip, cut_lines, "Namnlappar")
    columns, rows, width_mm, height_mm = layout
    per_page = columns * rows
    message = "%d etiketter (%d namn) på %d %s. Format %d × %d på A4, %s × %s mm." % (
        len(labels), len(people), pages, "ark" if pages == 1 else "ark", columns, rows,
        ("%g" % width_mm).replace(".", ","), ("%g" % height_mm).replace(".", ","))
    outputs = [{"kind": "notice", "level": "info", "message": message}]
    if skip:
        outputs.append({"kind": "notice", "level": "info", "message": "De första %d etiketterna på första arket lämnas tomma." % skip})
    unused = (per_page - (skip + len(labels)) % per_page) % per_page
    if unused:
        outputs.append({"kind": "notice", "level": "info",
                        "message": "%d etiketter blir över på sista arket. Skriv %d i \"Hoppa över\" nästa gång du använder arket." % (
                            unused, per_page - unused)})
    outputs.append({"kind": "markdown", "markdown": "Skriv ut PDF:en i **verklig storlek (100 %)** – inte \"Anpassa till sidan\" – så hamnar namnen mitt på etiketterna."})
    outputs.append({
        "kind": "table", "title": "Namn",
        "columns": [{"key": "nr", "label": "Nr"}, {"key": "namn", "label": "Namn"}, {"key": "extra", "label": "Extra rad"}],
        "rows": [{"nr": i + 1, "namn": display_name(n, first_only), "extra": (k if extra_mode.lower() == "klass" else extra_mode)}
                 for i, (n, k) in enumerate(people[:750])],
    })
    return {"outputs": outputs}
