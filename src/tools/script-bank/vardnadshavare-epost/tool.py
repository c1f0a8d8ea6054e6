"""Vårdnadshavares e-post: one copyable Bcc list from one or more class lists.

Reads CSV and Excel class lists as school systems export them (a title row above the header is
fine), finds the e-mail columns of guardians by their headings ("Vårdnadshavare 1 e-post",
"Målsman e-post", plain "E-post"), splits cells holding several addresses, validates and dedupes
(case-insensitively) and returns the list as markdown plus bcc-lista.txt and adresser.csv. Every
address that could not be used and every pupil without a usable address ends up in a table.
"""
import csv
import io
import os
import re
import zipfile

from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

HEADER_SCAN_ROWS = 20
EMAIL_HEADER = re.compile(r"e-?post|e-?mail|mejl|\bmail", re.IGNORECASE)
GUARDIAN_HEADER = re.compile(r"vårdnadshavare|vårdnadshavar|\bvh\s*\d*\b|förälder|föräldrar|målsman|guardian|parent|kontakt", re.IGNORECASE)
PUPIL_HEADER = re.compile(r"\belev|student|pupil", re.IGNORECASE)
NAME_HEADER = re.compile(r"^(elev|elevens namn|elevnamn|elev namn|namn|name|barn|barnets namn|fullständigt namn)$", re.IGNORECASE)
FIRST_NAME_HEADER = re.compile(r"^(förnamn|elevens förnamn|tilltalsnamn|first ?name)$", re.IGNORECASE)
LAST_NAME_HEADER = re.compile(r"^(efternamn|elevens efternamn|last ?name|surname)$", re.IGNORECASE)

LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
DOMAIN = r"(?:[^\W_](?:[^\W_]|-)*\.)+[^\W\d_]{2,}"
VALID_ADDRESS = re.compile(r"^%s@%s$" % (LOCAL_PART, DOMAIN))
# Misspelt domains of the big mail services: the address is valid, so it is used, but flagged.
DOMAIN_TYPOS = {
    "gmail.con": "gmail.com", "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gmail.co": "gmail.com",
    "gmail.se": "gmail.com", "gamil.com": "gmail.com", "hotmail.con": "hotmail.com", "hotmial.com": "hotmail.com",
    "hotmal.com": "hotmail.com", "hotmail.co": "hotmail.com", "outlok.com": "outlook.com", "outlook.con": "outlook.com",
    "yahoo.con": "yahoo.com", "icloud.con": "icloud.com", "live.con": "live.com", "telia.con": "telia.com",
}
SEPARATORS = {"semikolon": "; ", "komma": ", ", "rad": "\n"}


def _decode(data, name):
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Sweden often saves CSV as Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text. Spara den som CSV (UTF-8) och försök igen." % name)


def _read_csv(data, name):
    text = _decode(data, name)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";" if text.count(";") >= text.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path, name):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ToolUserError("Filen %s kunde inte öppnas som Excel-fil (.xlsx). Öppna den i Excel och spara den igen som .xlsx." % name) from exc
    sheets = []
    for sheet in workbook.worksheets:
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        sheets.append((sheet.title, rows))
    workbook.close()
    return sheets


def _read_tables(upload):
    """[(label, rows)] for one upload: every sheet of a workbook, or the one table of a CSV."""
    name = upload["name"]
    with open(upload["path"], "rb") as handle:
        data = handle.read()
    if not data.strip():
        raise ToolUserError("Filen %s är tom." % name)
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return [("%s (%s)" % (name, title), rows) for title, rows in _read_xlsx(upload["path"], name)]
    return [(name, _read_csv(data, name))]


def _find_header(rows):
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(EMAIL_HEADER.search(cell) for cell in row if cell):
            return index
    return None


def _address_columns(rows):
    width = max((len(r) for r in rows), default=0)
    found = []
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r) and r[i].strip()]
        if cells and sum("@" in c for c in cells) >= 0.5 * len(cells):
            found.append(i)
    return found


def _column_kind(header):
    if GUARDIAN_HEADER.search(header):
        return "vardnadshavare"
    if PUPIL_HEADER.search(header):
        return "elev"
    return "vardnadshavare"  # a plain "E-post" in a class list is the contact address


def _pupil_name(row, header):
    def cell(i):
        return row[i].strip() if i is not None and i < len(row) else ""

    first = next((i for i, h in enumerate(header) if FIRST_NAME_HEADER.match(h)), None)
    last = next((i for i, h in enumerate(header) if LAST_NAME_HEADER.match(h)), None)
    if first is not None or last is not None:
        return " ".join(part for part in (cell(first), cell(last)) if part)
    full = next((i for i, h in enumerate(header) if NAME_HEADER.match(h)), None)
    return cell(full)


def split_addresses(cell):
    """The address candidates in one cell: "a@x.se; b@y.se", "Erik Holm <e@x.se>", "mailto:e@x.se"."""
    text = re.sub(r"(?i)mailto:", " ", cell)
    found = []
    for piece in re.split(r"[;,\n\r]+|\s+/\s+|\s+(?:och|eller|and)\s+", text):
        piece = piece.strip().strip("\"'")
        if not piece:
            continue
        bracketed = re.fullmatch(r"(.*)<([^<>]+)>", piece)
        if bracketed:
            found.append(bracketed.group(2).strip())
            continue
        tokens = piece.split()
        if len(tokens) > 1 and all("@" in token for token in tokens):
            found.extend(tokens)
        else:
            found.append(piece)
    return found


def address_problem(address):
    """None when the address is usable, else why not (Swedish)."""
    if "@" not in address:
        return "Saknar @ – är det verkligen en e-postadress?"
    if re.search(r"\s", address):
        return "Innehåller mellanslag."
    if address.count("@") > 1:
        return "Innehåller flera @."
    if not VALID_ADDRESS.match(address):
        local, domain = address.rsplit("@", 1)
        if not local or not domain:
            return "Något saknas före eller efter @."
        if "." not in domain:
            return "Domänen \"%s\" saknar slutdel som .se eller .com." % domain
        return "Ogiltig e-postadress."
    return None


def _normalized(address):
    local, domain = address.rsplit("@", 1)
    return ("%s@%s" % (local, domain)).lower()


def _int_input(inputs, name, default, low, high):
    value = inputs.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, int(value)))


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    files = list_input_files()
    if not files:
        raise ToolUserError("Ladda upp minst en klasslista (CSV- eller Excel-fil).")
    include_pupils = inputs.get("med_elevadresser") is True
    separator_key = inputs.get("avgransare") if inputs.get("avgransare") in SEPARATORS else "semikolon"
    chunk = _int_input(inputs, "max_per_utskick", 0, 0, 5000)

    addresses = {}  # normalized address -> {"address", "pupils": [..]}
    problems = []
    columns_used = []
    pupils_seen = 0
    duplicates = 0
    for upload in files:
        found_in_file = False
        for label, rows in _read_tables(upload):
            header_index = _find_header(rows)
            if header_index is not None:
                header = [h.strip() for h in rows[header_index]]
                email_columns = [(i, h, _column_kind(h)) for i, h in enumerate(header) if h and EMAIL_HEADER.search(h)]
            else:
                # No heading says "e-post": a list without headings, or with other words. Columns where
                # most cells hold an @ are taken as contact addresses; every row is data.
                header_index, header = -1, []
                email_columns = [(i, "Kolumn %d" % (i + 1), "vardnadshavare") for i in _address_columns(rows)]
            used = [(i, h) for i, h, kind in email_columns if kind == "vardnadshavare" or include_pupils]
            for i, h, kind in email_columns:
                columns_used.append({
                    "fil": label, "kolumn": h,
                    "typ": "Vårdnadshavare" if kind == "vardnadshavare" else "Elev",
                    "anvands": "Ja" if (kind == "vardnadshavare" or include_pupils) else "Nej (elevens egen adress)",
                })
            if not used:
                continue
            found_in_file = True
            for offset, row in enumerate(rows[header_index + 1:]):
                line = header_index + offset + 2  # 1-based, as Excel shows it
                if not any(cell.strip() for cell in row):
                    continue
                pupil = _pupil_name(row, header) or "(rad %d)" % line
                pupils_seen += 1
                usable = 0
                for column, column_name in used:
                    cell = row[column] if column < len(row) else ""
                    for candidate in split_addresses(cell):
                        problem = address_problem(candidate)
                        if problem:
                            problems.append({"fil": label, "rad": line, "elev": pupil, "kolumn": column_name, "varde": candidate, "problem": problem})
                            continue
                        usable += 1
                        key = _normalized(candidate)
                        domain = key.rsplit("@", 1)[1]
                        if key in addresses:
                            duplicates += 1
                            if pupil not in addresses[key]["pupils"]:
                                addresses[key]["pupils"].append(pupil)
                            continue
                        addresses[key] = {"address": key, "pupils": [pupil]}
                        if domain in DOMAIN_TYPOS or domain.endswith(".con"):
                            guess = DOMAIN_TYPOS.get(domain, domain[:-4] + ".com")
                            problems.append({"fil": label, "rad": line, "elev": pupil, "kolumn": column_name, "varde": candidate,
                                             "problem": "Används, men kontrollera stavningen: menade du @%s?" % guess})
                if usable == 0:
                    problems.append({"fil": label, "rad": line, "elev": pupil, "kolumn": "", "varde": "",
                                     "problem": "Ingen användbar e-postadress till vårdnadshavare."})
        if not found_in_file:
            raise ToolUserError(
                "Hittade ingen kolumn med vårdnadshavares e-postadresser i %s. Kolumnrubriken ska innehålla "
                "\"e-post\" eller \"mail\", till exempel \"Vårdnadshavare 1 e-post\"." % upload["name"]
            )

    ordered = [entry["address"] for entry in addresses.values()]
    groups = [ordered[i:i + chunk] for i in range(0, len(ordered), chunk)] if chunk else [ordered]
    separator = SEPARATORS[separator_key]
    group_texts = [separator.join(group) for group in groups if group]

    with open(os.path.join(output_dir, "bcc-lista.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(group_texts) + "\n")
    with open(os.path.join(output_dir, "adresser.csv"), "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["E-post", "Elever"])
        for entry in addresses.values():
            writer.writerow([entry["address"], ", ".join(entry["pupils"])])

    outputs = [{
        "kind": "notice", "level": "info" if ordered else "warning",
        "message": "%d unika adresser från %d elevrader i %d %s. %d dubbletter togs bort." % (
            len(ordered), pupils_seen, len(files), "fil" if len(files) == 1 else "filer", duplicates),
    }]
    if ordered:
        parts = ["### Klistra in i fältet Hemlig kopia (Bcc)", "",
                 "Markera texten i rutan, kopiera den (Ctrl+C) och klistra in den i fältet **Hemlig kopia (Bcc)** i ditt e-postprogram. "
                 "Då ser ingen mottagare de andra adresserna."]
        for number, text in enumerate(group_texts, start=1):
            if len(group_texts) > 1:
                parts += ["", "**Utskick %d av %d** (%d adresser)" % (number, len(group_texts), len(groups[number - 1]))]
            parts += ["", "```", text, "```"]
        outputs.append({"kind": "markdown", "markdown": "\n".join(parts)})
    if problems:
        outputs.append({"kind": "notice", "level": "warning",
                        "message": "%d saker att kontrollera – se tabellen. Rätta dem i klasslistan eller lägg till adresserna för hand." % len(problems)})
        outputs.append({
            "kind": "table", "title": "Att kontrollera",
            "columns": [{"key": "fil", "label": "Fil"}, {"key": "rad", "label": "Rad"}, {"key": "elev", "label": "Elev"},
                        {"key": "kolumn", "label": "Kolumn"}, {"key": "varde", "label": "Värde"}, {"key": "problem", "label": "Problem"}],
            "rows": problems[:750],
        })
    outputs.append({
        "kind": "table", "title": "Kolumner som lästes",
        "columns": [{"key": "fil", "label": "Fil"}, {"key": "kolumn", "label": "Kolumn"}, {"key": "typ", "label": "Typ"}, {"key": "anvands", "label": "Används"}],
        "rows": columns_used[:750],
    })
    return {"outputs": outputs}
