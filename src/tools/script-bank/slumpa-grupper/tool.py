"""Slumpa grupper: random groups from a class list that avoid putting the same pupils together again.

The names come from the text field, an uploaded class list, or the teacher's saved class lists
(settings, several classes under "# 7B" headings). Every round's pairs are kept in `state`; the next
action "Nya grupper" makes a new round whose groups repeat as few earlier pairs as possible
(random starts + swap hill climbing on the number of repeated pairs). Output: a table, a notice
about repeats, and grupper.xlsx / grupper.docx to print or share.
"""
import csv
import io
import itertools
import os
import random
import re
import time
import zipfile

from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_settings
from tool_errors import ToolUserError

DEFAULT_GROUP_SIZE = 4
MAX_PUPILS = 150
MIN_RESTARTS = 20
SEARCH_SECONDS = 0.4  # random restarts of the swap search; a class of 30 gets thousands in this time
STATE_PAIR_BUDGET = 48 * 1024  # bytes of the pair history in state (the whole state may hold 64 KiB)
PAIR_SEPARATOR = "\t"  # names never hold a tab: lines are split on whitespace around it
NAME_HEADER = re.compile(r"^(elev|elever|elevens namn|elevnamn|elev namn|namn|name|barn|fullständigt namn)$", re.IGNORECASE)
FIRST_NAME_HEADER = re.compile(r"^(förnamn|elevens förnamn|tilltalsnamn|first ?name)$", re.IGNORECASE)
LAST_NAME_HEADER = re.compile(r"^(efternamn|elevens efternamn|last ?name|surname)$", re.IGNORECASE)
# "# 7B" (the documented form) or "Klass 7B" / "Klass: 7B"; "Klasson Erik" is a pupil
CLASS_HEADING = re.compile(r"^\s*(?:#+\s*|klass(?:\s*:\s*|\s+))(\S.*?)\s*:?\s*$", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)")


# ---------- names ----------

def _clean_name(text):
    return re.sub(r"\s+", " ", BULLET.sub("", text)).strip()


def names_from_text(text):
    lines = [line for line in str(text).splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:  # "Alva, Elias, Maja" written on one line
        lines = lines[0].split(",")
    return [name for name in (_clean_name(line) for line in lines) if name]


def saved_classes(text):
    """{"7B": [...], ...} from the saved text; names before any heading belong to class ""."""
    classes = {}
    current = ""
    for line in str(text or "").splitlines():
        if not line.strip():
            continue
        heading = CLASS_HEADING.match(line)
        if heading:
            current = heading.group(1).strip()
            classes.setdefault(current, [])
            continue
        name = _clean_name(line)
        if name:
            classes.setdefault(current, []).append(name)
    return {key: value for key, value in classes.items() if value}


def _decode(data, name):
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text. Spara den som CSV (UTF-8) och försök igen." % name)


def _cell(value):
    if value is None:
        return ""
    return str(value).strip()


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
        rows = [[_cell(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return rows
    text = _decode(data, name)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        return [[line.strip()] for line in text.splitlines()]  # one name per line
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def names_from_file(upload):
    rows = _rows_of(upload)
    for index, row in enumerate(rows[:20]):
        first = next((i for i, h in enumerate(row) if FIRST_NAME_HEADER.match(h)), None)
        last = next((i for i, h in enumerate(row) if LAST_NAME_HEADER.match(h)), None)
        full = next((i for i, h in enumerate(row) if NAME_HEADER.match(h)), None)
        if first is None and last is None and full is None:
            continue
        names = []
        for data_row in rows[index + 1:]:
            def cell(i):
                return data_row[i].strip() if i is not None and i < len(data_row) else ""
            name = " ".join(p for p in (cell(first), cell(last)) if p) if (first is not None or last is not None) else cell(full)
            if name:
                names.append(_clean_name(name))
        return names
    if rows and all(len([c for c in row if c]) <= 1 for row in rows):
        return [_clean_name(next((c for c in row if c), "")) for row in rows if any(row)]
    raise ToolUserError(
        "Hittade ingen namnkolumn i %s. Ge kolumnen rubriken \"Namn\" eller \"Elev\" (eller \"Förnamn\" och "
        "\"Efternamn\"), eller ladda upp en textfil med ett namn per rad." % upload["name"]
    )


def unique_names(names):
    seen = {}
    result = []
    for name in names:
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        result.append(name if count == 1 else "%s (%d)" % (name, count))
    return result


def roster_from_inputs(inputs, settings):
    if str(inputs.get("elever") or "").strip():
        return names_from_text(inputs["elever"]), str(inputs.get("klass") or "").strip()
    files = list_input_files()
    if files:
        return names_from_file(files[0]), str(inputs.get("klass") or "").strip() or os.path.splitext(files[0]["name"])[0]
    classes = saved_classes(settings.get("klasslistor"))
    if not classes:
        raise ToolUserError(
            "Skriv elevernas namn (ett per rad), ladda upp en klasslista eller spara dina klasslistor under Inställningar."
        )
    wanted = str(inputs.get("klass") or "").strip()
    if wanted:
        for key, names in classes.items():
            if key.lower() == wanted.lower():
                return names, key
        raise ToolUserError("Hittade ingen sparad klass som heter %s. Sparade klasser: %s." % (wanted, ", ".join(k or "(utan rubrik)" for k in classes)))
    if len(classes) == 1:
        key = next(iter(classes))
        return classes[key], key
    raise ToolUserError("Dina sparade klasslistor innehåller flera klasser (%s). Skriv vilken klass du vill använda i fältet Klass." % ", ".join(k or "(utan rubrik)" for k in classes))


# ---------- grouping ----------

def encode_history(history, roster):
    """{"3,17": 2}: pairs by roster index (compact), halved until it fits the state budget."""
    index = {name: i for i, name in enumerate(roster)}
    encoded = {}
    for key, count in history.items():
        a, b = key.split(PAIR_SEPARATOR)
        i, j = sorted((index[a], index[b]))
        encoded["%d,%d" % (i, j)] = count
    # Many rounds with a big class could pass the 64 KiB state budget; halving keeps the pairs that
    # were repeated most, which matter most when the next groups are made.
    while len(encoded) * 12 > STATE_PAIR_BUDGET:
        encoded = {key: count // 2 for key, count in encoded.items() if count // 2 > 0}
    return encoded


def decode_history(encoded, roster):
    history = {}
    if not isinstance(encoded, dict):
        return history
    for key, count in encoded.items():
        parts = str(key).split(",")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or isinstance(count, bool) or not isinstance(count, int):
            continue
        i, j = int(parts[0]), int(parts[1])
        if i < len(roster) and j < len(roster) and i != j:
            history[pair_key(roster[i], roster[j])] = count
    return history


def pair_key(a, b):
    return PAIR_SEPARATOR.join(sorted((a, b)))


def group_count(pupils, mode, amount):
    if mode == "antal":
        return max(1, min(amount, pupils))
    return max(1, min(pupils, int(pupils / amount + 0.5)))


def _cost(groups, history):
    return sum(history.get(pair_key(a, b), 0) for group in groups for a, b in itertools.combinations(group, 2))


def make_groups(names, count, history, rng):
    """`count` groups as even as possible, with as few pairs from `history` as the search finds."""
    base, extra = divmod(len(names), count)
    sizes = [base + 1 if i < extra else base for i in range(count)]

    def weight(a, b):
        return history.get(pair_key(a, b), 0)

    best, best_cost = None, None
    deadline = time.monotonic() + SEARCH_SECONDS
    attempt = 0
    # Without history any split is perfect; with history keep restarting until the time is up.
    while attempt < 1 or (history and (attempt < MIN_RESTARTS or time.monotonic() < deadline)):
        attempt += 1
        order = names[:]
        rng.shuffle(order)
        groups, start = [], 0
        for size in sizes:
            groups.append(order[start:start + size])
            start += size
        improved = bool(history)
        while improved:
            improved = False
            for g1, g2 in itertools.combinations(range(count), 2):
                for i, a in enumerate(groups[g1]):
                    for j, b in enumerate(groups[g2]):
                        delta = sum(weight(b, x) - weight(a, x) for x in groups[g1] if x != a)
                        delta += sum(weight(a, y) - weight(b, y) for y in groups[g2] if y != b)
                        if delta < 0:
                            groups[g1][i], groups[g2][j] = b, a
                            a = b
                            improved = True
        cost = _cost(groups, history)
        if best_cost is None or cost < best_cost:
            best, best_cost = [g[:] for g in groups], cost
        if best_cost == 0:
            break
    return best, best_cost


# ---------- artifacts ----------

def _write_xlsx(path, title, groups):
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Grupper"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Grupp %d" % (i + 1) for i in range(len(groups))])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in itertools.zip_longest(*groups, fillvalue=None):
        sheet.append(list(row))
    for i in range(len(groups)):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = max(14, max(len(n) for n in groups[i]) + 2)
    flat = workbook.create_sheet("Lista")
    flat.append(["Grupp", "Namn"])
    for i, group in enumerate(groups, start=1):
        for name in group:
            flat.append([i, name])
    workbook.save(path)


def _write_docx(path, title, groups):
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(title, level=1)
    for i, group in enumerate(groups, start=1):
        document.add_heading("Grupp %d" % i, level=2)
        for name in group:
            paragraph = document.add_paragraph(name, style="List Bullet")
            for run in paragraph.runs:
                run.font.size = Pt(14)
    document.save(path)


# ---------- the tool ----------

def _number(value, default, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, int(value)))


def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    settings = read_settings()
    preferred = _number(settings.get("gruppstorlek"), DEFAULT_GROUP_SIZE, 1, 100)

    if action_id == "nya_grupper":
        roster = [str(n) for n in state.get("elever") or [] if str(n).strip()]
        if not roster:
            raise ToolUserError("Klasslistan från förra gången finns inte kvar. Kör verktyget på nytt med elevernas namn.")
        klass = str(state.get("klass") or "")
        history = decode_history(state.get("par"), roster)
        round_number = _number(state.get("omgang"), 1, 1, 10 ** 6) + 1
        choices = action_input
    elif action_id is None:
        inputs = read_inputs()
        names, klass = roster_from_inputs(inputs, settings)
        roster = unique_names(names)
        history = {}
        round_number = 1
        choices = inputs
    else:
        raise ToolUserError("Okänt steg: %s. Kör verktyget på nytt." % action_id)

    if len(roster) > MAX_PUPILS:
        raise ToolUserError("Listan har %d namn. Verktyget delar in högst %d elever åt gången." % (len(roster), MAX_PUPILS))
    # choices: the first run's form, or the fields of "Nya grupper" on an action run
    mode = choices.get("indelning") if choices.get("indelning") in ("storlek", "antal") else str(state.get("indelning") or "storlek")
    amount = _number(choices.get("antal"), _number(state.get("antal"), preferred, 1, 100), 1, 100)
    absent_names = names_from_text(choices.get("franvarande") or "")
    lower_roster = {name.lower(): name for name in roster}
    absent = [lower_roster[n.lower()] for n in absent_names if n.lower() in lower_roster]
    unknown_absent = [n for n in absent_names if n.lower() not in lower_roster]
    present = [name for name in roster if name not in absent]
    if len(present) < 2:
        raise ToolUserError("Det behövs minst två närvarande elever för att göra grupper (nu %d)." % len(present))

    count = group_count(len(present), mode, amount)
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))
    groups, _ = make_groups(present, count, history, rng)
    repeats = sum(1 for group in groups for a, b in itertools.combinations(group, 2) if history.get(pair_key(a, b), 0) > 0)
    for group in groups:
        for a, b in itertools.combinations(group, 2):
            key = pair_key(a, b)
            history[key] = history.get(key, 0) + 1

    title = "Grupper%s – omgång %d" % (" " + klass if klass else "", round_number)
    _write_xlsx(os.path.join(output_dir, "grupper.xlsx"), title, groups)
    _write_docx(os.path.join(output_dir, "grupper.docx"), title, groups)

    outputs = []
    sizes = sorted({len(g) for g in groups})
    size_text = "%d" % sizes[0] if len(sizes) == 1 else "%d–%d" % (sizes[0], sizes[-1])
    message = "%d grupper med %s elever var (%d elever)." % (len(groups), size_text, len(present))
    if round_number > 1:
        message += " Omgång %d: " % round_number + (
            "ingen hamnade med någon de redan har arbetat med." if repeats == 0
            else "%d par har arbetat ihop förut – det gick inte att undvika helt." % repeats
        )
    outputs.append({"kind": "notice", "level": "info", "message": message})
    if absent:
        outputs.append({"kind": "notice", "level": "info", "message": "Frånvarande (inte med i grupperna): %s." % ", ".join(absent)})
    if unknown_absent:
        outputs.append({"kind": "notice", "level": "warning", "message": "Hittade inte i klasslistan: %s. Kontrollera stavningen." % ", ".join(unknown_absent)})
    outputs.append({
        "kind": "table", "title": title,
        "columns": [{"key": "grupp", "label": "Grupp"}, {"key": "antal", "label": "Antal"}, {"key": "elever", "label": "Elever"}],
        "rows": [{"grupp": "Grupp %d" % (i + 1), "antal": len(g), "elever": ", ".join(g)} for i, g in enumerate(groups)],
    })

    next_actions = [{
        "action_id": "nya_grupper",
        "label": "Nya grupper",
        "kind": "form",
        "fields": [
            {"kind": "enum", "name": "indelning", "label": "Dela in efter",
             "options": [{"value": "storlek", "label": "Antal elever per grupp"}, {"value": "antal", "label": "Antal grupper"}]},
            {"kind": "integer", "name": "antal", "label": "Antal", "min": 1, "max": 100},
            {"kind": "text", "name": "franvarande", "label": "Frånvarande (ett namn per rad)"},
        ],
        "prefill": {"indelning": mode, "antal": amount, "franvarande": "\n".join(absent)},
    }]
    new_state = {"klass": klass, "elever": roster, "par": encode_history(history, roster), "omgang": round_number,
                 "indelning": mode, "antal": amount}
    return {"outputs": outputs, "next_actions": next_actions, "state": new_state}
