"""Läsbarhet (LIX) och ordstatistik for a Word, PDF or text file, or pasted text.

LIX (Björnsson): words per sentence + percentage of long words (more than six letters), read on
the usual Swedish scale. Also OVIX (word variation), sentence and word lengths, the most common
words (optionally without small function words), the longest words and the longest sentences.
Sentences end at . ! ? : (not inside common abbreviations such as "t.ex." or numbers such as
"18.00"); a heading or list line without a full stop counts as a sentence of its own.
"""
import collections
import math
import os
import re
import zipfile

from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

LONG_WORD = 6  # a long word has MORE than six letters
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?:])[\"'”’»)\]]*\s+")
LIST_OR_HEADING = re.compile(r"^\s*(#{1,6}\s|[-*•]\s|\d+[.)]\s)")
ABBREVIATIONS = [
    "bl.a.", "d.v.s.", "dvs.", "e.d.", "e.Kr.", "enl.", "etc.", "f.d.", "f.Kr.", "f.n.", "fr.o.m.", "jfr.", "kl.", "m.fl.", "m.m.",
    "mm.", "o.d.", "o.s.v.", "osv.", "p.g.a.", "pga.", "resp.", "s.k.", "t.ex.", "t.o.m.", "t.v.", "tel.", "ung.", "ca.", "nr.",
    "st.", "ev.", "inkl.", "exkl.", "ang.", "bl. a.", "t. ex.",
]
PLACEHOLDER = "\u2024"  # ONE DOT LEADER stands in for a dot that does not end a sentence
SCALE = [
    (30, "Mycket lättläst", "som barnböcker"),
    (40, "Lättläst", "som skönlitteratur och populärtidningar"),
    (50, "Medelsvår", "som vanlig tidningstext"),
    (60, "Svår", "som myndighetstexter"),
    (None, "Mycket svår", "som byråkratsvenska och forskningstexter"),
]
STOP_WORDS = set("""
alla allt alltså andra att av bara blev bli blir de dem den denna deras dess det detta dig din dina ditt du då där efter ej eller
en er era ert ett för från genom ha hade han hans har henne hennes hit hon honom hur här i icke ingen inom inte jag ju kan kunde man
med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitt själv skall ska
skulle som så sådan sådana till under upp ut utan vad var vara varför varit varje vars vem vi vid vilka vilken vilket vår våra vårt
än är åt över också även bör kommer får fick få går gick gör görs gjorde finns fanns sina dessa dessa sådant dit
""".split())


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


def paragraphs_of_docx(path, name):
    import docx

    try:
        document = docx.Document(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ToolUserError("Filen %s kunde inte öppnas som Word-dokument (.docx). Spara om den i Word och försök igen." % name) from exc
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(p.text for p in cell.paragraphs)
    return paragraphs


def paragraphs_of_pdf(path, name):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ToolUserError("PDF-filen %s är lösenordsskyddad. Spara en kopia utan lösenord och försök igen." % name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ToolUserError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ToolUserError("Filen %s kunde inte läsas som PDF." % name) from exc
    paragraphs = []
    for page in pages:
        page = re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_])", "", page)  # "ut-\nbildning" → "utbildning"
        for block in re.split(r"\n\s*\n", page):
            lines = [l.strip() for l in block.splitlines() if l.strip()]
            current = []
            for line in lines:
                current.append(line)
                if re.search(r"[.!?:][\"'”’»)\]]*$", line):
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
    if not any(WORD.search(p) for p in paragraphs):
        raise ToolUserError(
            "PDF-filen %s innehåller ingen text som går att läsa ut – den är troligen inskannad som bild. "
            "Använd en PDF med text, eller kopiera in texten i rutan." % name
        )
    return paragraphs


def paragraphs_of_text(text):
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        current = []
        for line in block.splitlines():
            if not line.strip():
                continue
            if LIST_OR_HEADING.match(line):
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                paragraphs.append(LIST_OR_HEADING.sub("", line).strip())
            else:
                current.append(line.strip())
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


# ---------- measuring ----------

def _protect(text):
    for abbreviation in ABBREVIATIONS:
        text = re.sub(r"(?<![^\W\d_])" + re.escape(abbreviation), abbreviation.replace(".", PLACEHOLDER), text, flags=re.IGNORECASE)
    return text


def sentences_of(paragraphs):
    sentences = []
    for paragraph in paragraphs:
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if not paragraph:
            continue
        for piece in SENTENCE_END.split(_protect(paragraph)):
            piece = piece.replace(PLACEHOLDER, ".").strip()
            if WORD.search(piece):
                sentences.append(piece)
    return sentences


def letters(word):
    return len(re.sub(r"[-'’]", "", word))


def interpret(lix):
    for limit, level, example in SCALE:
        if limit is None or lix < limit:
            return level, example
    return SCALE[-1][1], SCALE[-1][2]


def analyse(paragraphs, skip_small_words, top):
    sentences = sentences_of(paragraphs)
    sentence_words = [WORD.findall(s) for s in sentences]
    words = [w for ws in sentence_words for w in ws]
    if not words:
        raise ToolUserError("Texten innehåller inga ord att räkna.")
    long_words = [w for w in words if letters(w) > LONG_WORD]
    lix = len(words) / len(sentences) + 100.0 * len(long_words) / len(words)
    lower = [w.lower() for w in words]
    types = len(set(lower))
    ovix = None
    if len(words) > 1 and types < len(words):
        ovix = math.log(len(words)) / math.log(2 - math.log(types) / math.log(len(words)))
    level, example = interpret(lix)
    counted = collections.Counter(w for w in lower if not (skip_small_words and w in STOP_WORDS))
    longest_words = sorted({w.lower(): w for w in words}.values(), key=lambda w: (-letters(w), w.lower()))
    longest_sentences = sorted(zip(sentences, sentence_words), key=lambda pair: -len(pair[1]))
    metrics = {
        "lix": round(lix, 1),
        "niva": level,
        "jamforelse": example,
        "ord": len(words),
        "meningar": len(sentences),
        "langa_ord": len(long_words),
        "andel_langa_ord": round(100.0 * len(long_words) / len(words), 1),
        "ord_per_mening": round(len(words) / len(sentences), 1),
        "bokstaver_per_ord": round(sum(letters(w) for w in words) / len(words), 1),
        "unika_ord": types,
        "ovix": None if ovix is None else round(ovix, 1),
        "langsta_mening_ord": max(len(ws) for ws in sentence_words),
    }
    return {
        "metrics": metrics,
        "common": counted.most_common(top),
        "longest_words": longest_words[:15],
        "longest_sentences": [(s, len(ws)) for s, ws in longest_sentences[:5]],
    }


def _number(value):
    return ("%g" % value).replace(".", ",") if isinstance(value, float) else str(value)


def _scale_markdown(lix):
    rows = ["| LIX | Svårighet | Jämför med |", "|---|---|---|"]
    lower = None
    for limit, level, example in SCALE:
        span = "under %d" % limit if lower is None else ("%d–%d" % (lower, limit) if limit else "över %d" % lower)
        mark = interpret(lix)[0] == level
        cells = [span, level, example]
        rows.append("| " + " | ".join("**%s**" % c if mark else c for c in cells) + (" ◀" if mark else "") + " |")
        lower = limit
    return "\n".join(rows)


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    files = list_input_files()
    typed = str(inputs.get("text") or "")
    if files and typed.strip():
        raise ToolUserError("Klistra in texten eller ladda upp en fil – inte båda.")
    if files:
        upload = files[0]
        lower = upload["name"].lower()
        if os.path.getsize(upload["path"]) == 0:
            raise ToolUserError("Filen %s är tom." % upload["name"])
        if lower.endswith(".docx"):
            paragraphs = paragraphs_of_docx(upload["path"], upload["name"])
        elif lower.endswith(".pdf"):
            paragraphs = paragraphs_of_pdf(upload["path"], upload["name"])
        else:
            with open(upload["path"], "rb") as handle:
                paragraphs = paragraphs_of_text(_decode(handle.read(), upload["name"]))
        source = upload["name"]
    else:
        paragraphs = paragraphs_of_text(typed)
        source = "den inklistrade texten"
    if not any(WORD.search(p) for p in paragraphs):
        raise ToolUserError("Det finns ingen text att analysera. Ladda upp en Word-, PDF- eller textfil, eller klistra in texten.")

    top = inputs.get("antal_ord", 20)
    top = 20 if isinstance(top, bool) or not isinstance(top, int) else max(5, min(100, top))
    result = analyse(paragraphs, inputs.get("utan_smaord", True) is not False, top)
    m = result["metrics"]

    summary = "## LIX %s – %s\n\nTexten i %s är **%s**, %s.\n\n%s\n\nLIX = ord per mening (%s) + andelen långa ord i procent (%s). Ett långt ord har fler än sex bokstäver." % (
        _number(m["lix"]), m["niva"].lower(), source, m["niva"].lower(), m["jamforelse"], _scale_markdown(m["lix"]),
        _number(m["ord_per_mening"]), _number(m["andel_langa_ord"]))
    key_figures = [
        ("LIX (läsbarhetsindex)", m["lix"]), ("Svårighet", m["niva"]), ("Antal ord", m["ord"]), ("Antal meningar", m["meningar"]),
        ("Långa ord (fler än 6 bokstäver)", m["langa_ord"]), ("Andel långa ord (%)", m["andel_langa_ord"]),
        ("Ord per mening", m["ord_per_mening"]), ("Bokstäver per ord", m["bokstaver_per_ord"]),
        ("Längsta meningen (ord)", m["langsta_mening_ord"]), ("Olika ord", m["unika_ord"]),
        ("OVIX (ordvariation)", m["ovix"] if m["ovix"] is not None else "–"),
    ]
    outputs = [
        {"kind": "markdown", "markdown": summary},
        {"kind": "table", "title": "Nyckeltal", "columns": [{"key": "matt", "label": "Mått"}, {"key": "varde", "label": "Värde"}],
         "rows": [{"matt": k, "varde": v} for k, v in key_figures]},
        {"kind": "table", "title": "Vanligaste orden", "columns": [
            {"key": "ord", "label": "Ord"}, {"key": "antal", "label": "Antal"}, {"key": "andel", "label": "Andel av alla ord (%)"}],
         "rows": [{"ord": w, "antal": n, "andel": round(100.0 * n / m["ord"], 1)} for w, n in result["common"]]},
        {"kind": "table", "title": "Längsta orden", "columns": [{"key": "ord", "label": "Ord"}, {"key": "bokstaver", "label": "Bokstäver"}],
         "rows": [{"ord": w, "bokstaver": letters(w)} for w in result["longest_words"]]},
        {"kind": "table", "title": "Längsta meningarna", "columns": [{"key": "ord", "label": "Ord"}, {"key": "mening", "label": "Mening"}],
         "rows": [{"ord": n, "mening": s if len(s) <= 300 else s[:297] + "…"} for s, n in result["longest_sentences"]]},
        {"kind": "json", "title": "Alla mått", "value": dict(m, vanligaste_ord=dict(result["common"]))},
    ]
    return {"outputs": outputs}
