"""Närvaro och betyg: a per-pupil and per-subject summary of an attendance/grade export, with charts.

Input: one Excel (or CSV) sheet, either long (one row per pupil and subject: Elev, Ämne, Närvaro,
Betyg) or wide (one row per pupil, one grade column per subject). Attendance may be percent
(92, "92 %") or a fraction (0.92, Excel's percent format); a Frånvaro column is turned into
attendance. Grades A–F count as grade points (A = 20 … E = 10, F = 0), as in the Swedish merit
value. Pupils whose average attendance, or attendance in any subject, is below the threshold are
flagged, and so are F grades.
Outputs: notices, per-pupil and per-subject tables, two vega_lite charts; artifacts:
sammanstallning.xlsx, narvaro.png (and betygsfordelning.png when there are grades).
"""
import csv
import io
import math
import os
import re
import zipfile

import pandas as pd
from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

GRADE_POINTS = {"A": 20.0, "B": 17.5, "C": 15.0, "D": 12.5, "E": 10.0, "F": 0.0}
GRADES = list(GRADE_POINTS)
NO_GRADE = {"", "-", "–", "—", "STRECK", "SAKNAS"}  # a dash ("streck") means no grade was given
HEADER_SCAN_ROWS = 20
PUPIL = re.compile(r"^(elev|elevens namn|elevnamn|elev namn|namn|name|student)$", re.IGNORECASE)
FIRST = re.compile(r"^(förnamn|elevens förnamn|first ?name)$", re.IGNORECASE)
LAST = re.compile(r"^(efternamn|elevens efternamn|last ?name)$", re.IGNORECASE)
SUBJECT = re.compile(r"^(ämne|ämnen|kurs|ämne/kurs|subject|course)$", re.IGNORECASE)
ATTENDANCE = re.compile(r"närvaro|attendance", re.IGNORECASE)
ABSENCE = re.compile(r"frånvaro|absence", re.IGNORECASE)
GRADE = re.compile(r"^(betyg|omdöme|grade|slutbetyg|terminsbetyg)\b", re.IGNORECASE)
SCORE = re.compile(r"^(poäng|resultat|provresultat|provpoäng|score)\b", re.IGNORECASE)
IGNORED = re.compile(r"^(klass|grupp|mentor|personnummer|pnr|född|e-?post|kommentar|anteckning)", re.IGNORECASE)
MAX_TABLE_ROWS = 750
COLOR_OK = "#2f6f9f"
COLOR_FLAG = "#c0392b"


# ---------- reading ----------

def _decode(data, name):
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text." % name)


def _raw_frame(upload, sheet):
    name = upload["name"]
    with open(upload["path"], "rb") as handle:
        data = handle.read()
    if not data.strip():
        raise ToolUserError("Filen %s är tom." % name)
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        try:
            workbook = pd.ExcelFile(upload["path"], engine="openpyxl")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ToolUserError("Filen %s kunde inte öppnas som Excel-fil (.xlsx). Spara om den i Excel och försök igen." % name) from exc
        sheets = workbook.sheet_names
        if sheet:
            match = next((s for s in sheets if s.strip().lower() == sheet.strip().lower()), None)
            if match is None:
                raise ToolUserError("Fliken \"%s\" finns inte i %s. Flikar i filen: %s." % (sheet, name, ", ".join(sheets)))
            return workbook.parse(match, header=None, dtype=object), match
        return workbook.parse(sheets[0], header=None, dtype=object), sheets[0]
    text = _decode(data, name)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object), name


def _text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _with_header(raw):
    for index in range(min(HEADER_SCAN_ROWS, len(raw))):
        cells = [_text(v) for v in raw.iloc[index].tolist()]
        if any(PUPIL.match(c) or FIRST.match(c) for c in cells):
            header, seen = [], {}
            for i, cell in enumerate(cells):
                label = cell or "Kolumn %d" % (i + 1)
                seen[label] = seen.get(label, 0) + 1
                header.append(label if seen[label] == 1 else "%s (%d)" % (label, seen[label]))
            frame = raw.iloc[index + 1:].copy()
            frame.columns = header
            return frame.reset_index(drop=True)
    raise ToolUserError(
        "Hittade ingen kolumn med elevernas namn. Ge kolumnen rubriken \"Elev\" eller \"Namn\" "
        "(eller \"Förnamn\" och \"Efternamn\")."
    )


def parse_percent(value):
    text = _text(value).replace("%", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_grade(value):
    text = _text(value).upper()
    if text in GRADE_POINTS:
        return text
    return None


def _find(columns, pattern):
    return [c for c in columns if pattern.search(c)]


def to_long(frame):
    """(rows, notes): rows are dicts elev/amne/narvaro/betyg/poang, one per pupil and subject."""
    columns = list(frame.columns)
    notes = []
    first = next((c for c in columns if FIRST.match(c)), None)
    last = next((c for c in columns if LAST.match(c)), None)
    pupil = next((c for c in columns if PUPIL.match(c)), None)
    subject = next((c for c in columns if SUBJECT.match(c)), None)
    attendance = _find(columns, ATTENDANCE)
    absence = [c for c in _find(columns, ABSENCE) if c not in attendance]
    grade = next((c for c in columns if GRADE.match(c)), None)
    score = next((c for c in columns if SCORE.match(c)), None)

    def name_of(row):
        if first or last:
            return " ".join(p for p in (_text(row.get(first)) if first else "", _text(row.get(last)) if last else "") if p)
        return _text(row.get(pupil))

    def attendance_of(row):
        """The raw attendance number, or the raw absence number when only absence is given (see below)."""
        if attendance:
            return parse_percent(row.get(attendance[0]))
        if absence:
            total = [c for c in absence if "total" in c.lower()]
            values = [parse_percent(row.get(c)) for c in (total[:1] or absence)]
            values = [v for v in values if v is not None]
            return sum(values) if values else None
        return None

    if attendance:
        notes.append("Närvaro från kolumnen \"%s\"." % attendance[0])
    elif absence:
        total = [c for c in absence if "total" in c.lower()]
        notes.append("Närvaro räknad som 100 %% minus frånvaron i %s." % ", ".join("\"%s\"" % c for c in (total[:1] or absence)))

    known = {c for c in (first, last, pupil, subject, grade, score) if c} | set(attendance) | set(absence)
    rows = []
    records = frame.to_dict("records")
    if subject:
        for record in records:
            name = name_of(record)
            if not name:
                continue
            rows.append({"elev": name, "amne": _text(record.get(subject)) or "(inget ämne)", "narvaro": attendance_of(record),
                         "betyg": parse_grade(record.get(grade)) if grade else None,
                         "poang": parse_percent(record.get(score)) if score else None})
    else:
        # wide: every other column whose values are grades is a subject
        subject_columns = []
        for column in columns:
            if column in known or IGNORED.match(column):
                continue
            values = [_text(r.get(column)).upper() for r in records if _text(r.get(column))]
            if values and sum(v in GRADE_POINTS or v in NO_GRADE for v in values) >= 0.8 * len(values):
                subject_columns.append(column)
        if subject_columns:
            notes.append("Ett betyg per ämneskolumn: %s." % ", ".join(subject_columns))
        for record in records:
            name = name_of(record)
            if not name:
                continue
            # attendance belongs to the pupil here, not to a subject: it gets a row without a subject
            rows.append({"elev": name, "amne": "", "narvaro": attendance_of(record), "betyg": None,
                         "poang": parse_percent(record.get(score)) if score else None})
            for column in subject_columns:
                rows.append({"elev": name, "amne": column, "narvaro": None, "betyg": parse_grade(record.get(column)), "poang": None})
    if not rows:
        raise ToolUserError("Filen innehåller inga elevrader under rubrikraden.")
    if not (attendance or absence) and not any(r["betyg"] for r in rows) and not any(r["poang"] is not None for r in rows):
        raise ToolUserError(
            "Hittade varken närvaro eller betyg. Kolumnrubrikerna ska innehålla till exempel \"Närvaro\", "
            "\"Frånvaro\" eller \"Betyg\"."
        )

    values = [r["narvaro"] for r in rows if r["narvaro"] is not None]
    fractions = bool(values) and all(0 <= v <= 1.0 for v in values)
    from_absence = not attendance and bool(absence)
    for r in rows:
        if r["narvaro"] is None:
            continue
        v = r["narvaro"] * (100.0 if fractions else 1.0)
        r["narvaro"] = round(max(0.0, min(100.0, 100.0 - v if from_absence else v)), 1)
    if fractions:
        notes.append("Närvaron var sparad som andelar (0,92) och visas i procent (92 %).")
    return rows, notes


# ---------- summaries ----------

def _round(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 1)


def _percent_text(value):
    return ("%.1f" % value).replace(".", ",").replace(",0", "") + " %"


def summarize(rows, threshold):
    frame = pd.DataFrame(rows)
    frame["poang_betyg"] = frame["betyg"].map(lambda g: GRADE_POINTS.get(g) if g else None)
    pupils = []
    for name, group in frame.groupby("elev", sort=False):
        attendance = group["narvaro"].dropna()
        subject_attendance = group.loc[group["amne"] != "", "narvaro"].dropna()
        grades = group["betyg"].dropna()
        points = group["poang_betyg"].dropna()
        fails = group.loc[group["betyg"] == "F", "amne"].tolist()
        low_subjects = [(r.amne, r.narvaro) for r in group.itertuples() if r.amne and r.narvaro is not None and r.narvaro < threshold]
        mean_attendance = _round(attendance.mean()) if len(attendance) else None
        flags = []
        if mean_attendance is not None and mean_attendance < threshold:
            flags.append("Låg närvaro totalt (%s)" % _percent_text(mean_attendance))
        if low_subjects and (mean_attendance is None or mean_attendance >= threshold or len(low_subjects) < len(attendance)):
            flags.append(("låg närvaro i " if flags else "Låg närvaro i ") + ", ".join("%s (%s)" % (s, _percent_text(v)) for s, v in low_subjects))
        if fails:
            flags.append("F i " + ", ".join(fails))
        pupils.append({
            "elev": name,
            "narvaro": mean_attendance,
            "lagst": _round(subject_attendance.min()) if len(subject_attendance) else None,
            "amnen": int(group["amne"].astype(bool).sum()),
            "betyg": int(len(grades)),
            "summa": _round(points.sum()) if len(points) else None,
            "snitt": _round(points.mean()) if len(points) else None,
            "antal_f": len(fails) if len(grades) else None,
            "poang": _round(group["poang"].dropna().mean()) if group["poang"].notna().any() else None,
            "flaggad": bool(flags),
            "att_uppmarksamma": "; ".join(flags),
        })
    subjects = []
    for subject, group in frame[frame["amne"] != ""].groupby("amne", sort=False):
        attendance = group["narvaro"].dropna()
        graded = group["betyg"].dropna()
        entry = {
            "amne": subject,
            "elever": int(group["elev"].nunique()),
            "narvaro": _round(attendance.mean()) if len(attendance) else None,
            "lagst": _round(attendance.min()) if len(attendance) else None,
            "under_grans": int((attendance < threshold).sum()) if len(attendance) else None,
            "snitt": _round(group["poang_betyg"].dropna().mean()) if group["poang_betyg"].notna().any() else None,
            "andel_f": _round(100.0 * (graded == "F").sum() / len(graded)) if len(graded) else None,
        }
        for g in GRADES:
            entry[g] = int((graded == g).sum()) if len(graded) else None
        subjects.append(entry)
    return pupils, subjects


# ---------- charts ----------

def attendance_spec(pupils, threshold):
    values = [{"Elev": p["elev"], "Närvaro": p["narvaro"], "Status": "Under gränsen" if p["narvaro"] < threshold else "Över gränsen"}
              for p in pupils if p["narvaro"] is not None]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Närvaro per elev (gräns %s)" % _percent_text(threshold),
        "width": "container",
        "layer": [
            {"data": {"values": values}, "mark": "bar",
             "encoding": {
                 "y": {"field": "Elev", "type": "nominal", "sort": "x", "title": None},
                 "x": {"field": "Närvaro", "type": "quantitative", "scale": {"domain": [0, 100]}, "title": "Närvaro (%)"},
                 "color": {"field": "Status", "type": "nominal",
                           "scale": {"domain": ["Över gränsen", "Under gränsen"], "range": [COLOR_OK, COLOR_FLAG]}},
                 "tooltip": [{"field": "Elev"}, {"field": "Närvaro", "format": ".1f"}]}},
            {"data": {"values": [{"Gräns": threshold}]}, "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#333"},
             "encoding": {"x": {"field": "Gräns", "type": "quantitative"}}},
        ],
    }


def grades_spec(subjects):
    values = [{"Ämne": s["amne"], "Betyg": g, "Antal": s[g]} for s in subjects for g in GRADES if s[g]]  # None/0: no bar
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Betygsfördelning per ämne",
        "width": "container",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "Ämne", "type": "nominal", "title": None},
            "x": {"field": "Antal", "type": "quantitative", "stack": "zero", "title": "Antal elever"},
            "color": {"field": "Betyg", "type": "ordinal", "sort": GRADES, "scale": {"scheme": "redyellowgreen", "reverse": True}},
            "order": {"field": "Betyg", "type": "ordinal"},
            "tooltip": [{"field": "Ämne"}, {"field": "Betyg"}, {"field": "Antal"}],
        },
    }


def _attendance_png(path, pupils, threshold):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = sorted((p for p in pupils if p["narvaro"] is not None), key=lambda p: p["narvaro"])
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(shown) + 1.2)), dpi=120)
    ax.barh([p["elev"] for p in shown], [p["narvaro"] for p in shown],
            color=[COLOR_FLAG if p["narvaro"] < threshold else COLOR_OK for p in shown])
    ax.axvline(threshold, color="#333333", linestyle="--", linewidth=1, label="Gräns %s" % _percent_text(threshold))
    ax.invert_yaxis()  # lowest attendance at the top, where the eye starts
    ax.set_xlim(0, 100)
    ax.set_xlabel("Närvaro (%)")
    ax.set_title("Närvaro per elev")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _grades_png(path, subjects):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"A": "#1a9850", "B": "#91cf60", "C": "#d9ef8b", "D": "#fee08b", "E": "#fc8d59", "F": "#d73027"}
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(subjects) + 1.2)), dpi=120)
    left = [0] * len(subjects)
    names = [s["amne"] for s in subjects]
    for g in GRADES:
        counts = [s[g] or 0 for s in subjects]
        ax.barh(names, counts, left=left, color=colors[g], label=g)
        left = [a + b for a, b in zip(left, counts)]
    from matplotlib.ticker import MaxNLocator

    ax.invert_yaxis()  # subjects in the file's order, top down
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Antal elever")
    ax.set_title("Betygsfördelning per ämne")
    ax.legend(ncol=6, loc="lower center", bbox_to_anchor=(0.5, 1.08), frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


PUPIL_COLUMNS = [("elev", "Elev"), ("narvaro", "Närvaro (%)"), ("lagst", "Lägsta närvaro i ett ämne (%)"), ("amnen", "Ämnen"),
                 ("betyg", "Antal betyg"), ("summa", "Summa betygspoäng"), ("snitt", "Snitt betygspoäng"), ("antal_f", "Antal F"),
                 ("poang", "Snitt poäng/resultat"), ("att_uppmarksamma", "Att uppmärksamma")]
SUBJECT_COLUMNS = [("amne", "Ämne"), ("elever", "Elever"), ("narvaro", "Närvaro snitt (%)"), ("lagst", "Lägsta närvaro (%)"),
                   ("under_grans", "Under gränsen")] + [(g, g) for g in GRADES] + [("snitt", "Snitt betygspoäng"), ("andel_f", "Andel F (%)")]


def _used(columns, rows):
    """Leave out columns that are empty for every row (no grades → no grade columns)."""
    return [(k, label) for k, label in columns if k in ("elev", "amne", "att_uppmarksamma") or any(r.get(k) is not None for r in rows)]


def _write_xlsx(path, pupils, subjects, pupil_columns, subject_columns, threshold):
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([{label: p[k] for k, label in pupil_columns} for p in pupils]).to_excel(writer, sheet_name="Elever", index=False)
        if subjects:
            pd.DataFrame([{label: s[k] for k, label in subject_columns} for s in subjects]).to_excel(writer, sheet_name="Ämnen", index=False)
        flagged = [p for p in pupils if p["flaggad"]]
        pd.DataFrame([{"Elev": p["elev"], "Närvaro (%)": p["narvaro"], "Att uppmärksamma": p["att_uppmarksamma"]} for p in flagged],
                     columns=["Elev", "Närvaro (%)", "Att uppmärksamma"]).to_excel(writer, sheet_name="Att uppmärksamma", index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
            sheet.freeze_panes = "A2"
        writer.book["Elever"].cell(row=len(pupils) + 3, column=1, value="Gräns för låg närvaro: %s" % _percent_text(threshold))


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    files = list_input_files()
    if not files:
        raise ToolUserError("Ladda upp en Excel-fil med närvaro och/eller betyg.")
    threshold = inputs.get("narvarograns", 80)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        raise ToolUserError("Gränsen för låg närvaro måste vara ett tal mellan 0 och 100.")
    threshold = float(threshold)

    raw, sheet = _raw_frame(files[0], str(inputs.get("flik") or "").strip())
    rows, notes = to_long(_with_header(raw))
    pupils, subjects = summarize(rows, threshold)
    pupil_columns = _used(PUPIL_COLUMNS, pupils)
    subject_columns = _used(SUBJECT_COLUMNS, subjects)
    flagged = [p for p in pupils if p["flaggad"]]
    has_attendance = any(p["narvaro"] is not None for p in pupils)
    has_grades = any(s[g] for s in subjects for g in GRADES)

    _write_xlsx(os.path.join(output_dir, "sammanstallning.xlsx"), pupils, subjects, pupil_columns, subject_columns, threshold)
    outputs = [{"kind": "notice", "level": "info",
                "message": "%d elever och %d ämnen från %s (flik \"%s\"). %s" % (
                    len(pupils), len(subjects), files[0]["name"], sheet, " ".join(notes))}]
    if flagged:
        outputs.append({"kind": "notice", "level": "warning",
                        "message": "%d %s att uppmärksamma (närvaro under %s eller betyget F): %s." % (
                            len(flagged), "elev" if len(flagged) == 1 else "elever", _percent_text(threshold),
                            ", ".join(p["elev"] for p in flagged))})
    outputs.append({"kind": "table", "title": "Per elev", "columns": [{"key": k, "label": label} for k, label in pupil_columns],
                    "rows": [{k: p[k] for k, _ in pupil_columns} for p in pupils[:MAX_TABLE_ROWS]]})
    if subjects:
        outputs.append({"kind": "table", "title": "Per ämne", "columns": [{"key": k, "label": label} for k, label in subject_columns],
                        "rows": [{k: s[k] for k, _ in subject_columns} for s in subjects[:MAX_TABLE_ROWS]]})
    if has_attendance:
        outputs.append({"kind": "vega_lite", "spec": attendance_spec(pupils, threshold)})
        _attendance_png(os.path.join(output_dir, "narvaro.png"), pupils, threshold)
    if has_grades:
        outputs.append({"kind": "vega_lite", "spec": grades_spec(subjects)})
        _grades_png(os.path.join(output_dir, "betygsfordelning.png"), subjects)
    return {"outputs": outputs}
