"""Markdown till Word: a .docx from Markdown text or a .md file, made by pandoc.

Headings, lists, tables, bold/italic, links and quotes become real Word styles (Rubrik 1, lists,
tables), so the document can be edited and restyled in Word. An uploaded .docx is used as the
reference document: its styles (fonts, colours, heading sizes) are applied to the result.
"""
import os
import re
import zipfile

import pypandoc
from skriptoteket_toolkit import list_input_files, read_inputs
from tool_errors import ToolUserError

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
PREVIEW_BYTES = 60 * 1024  # a markdown output may hold 64 KiB
# pandoc's Markdown plus the GitHub habits teachers copy from elsewhere: pipe tables, ~~strike~~,
# task lists, and a line break wherever the text has one.
SOURCE_FORMAT = "markdown+pipe_tables+strikeout+task_lists+hard_line_breaks"


def _read_text(path, name):
    with open(path, "rb") as handle:
        data = handle.read()
    if len(data) > MAX_MARKDOWN_BYTES:
        raise ToolUserError("Filen %s är för stor (högst 2 MB text)." % name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text. Spara den som UTF-8." % name)


def _safe_file_name(text, fallback):
    name = re.sub(r"[^\w\- åäöÅÄÖ]+", "", str(text or "")).strip().replace(" ", "-")
    return (name or fallback)[:80]


def _preview(markdown):
    data = markdown.encode("utf-8")
    if len(data) <= PREVIEW_BYTES:
        return markdown
    return data[:PREVIEW_BYTES].decode("utf-8", "ignore") + "\n\n*… (förhandsvisningen visar bara början; Word-filen innehåller allt)*"


def _count(n, one, many):
    return "%d %s" % (n, one if n == 1 else many)


def _first_heading(markdown):
    match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _check_reference(path, name):
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/styles.xml" not in archive.namelist():
                raise ToolUserError("%s är ingen Word-mall: filen saknar formatmallar. Spara om den i Word som .docx." % name)
    except zipfile.BadZipFile as exc:
        raise ToolUserError("%s kunde inte öppnas som Word-fil (.docx)." % name) from exc


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    markdown_files, references, others = [], [], []
    for upload in list_input_files():
        lower = upload["name"].lower()
        if lower.endswith(".docx"):
            references.append(upload)
        elif lower.endswith(MARKDOWN_EXTENSIONS):
            markdown_files.append(upload)
        else:
            others.append(upload["name"])
    if others:
        raise ToolUserError("Filtypen stöds inte: %s. Ladda upp en .md- eller .txt-fil och eventuellt en Word-mall (.docx)." % ", ".join(others))
    if len(markdown_files) > 1:
        raise ToolUserError("Ladda upp en Markdown-fil åt gången (nu %d)." % len(markdown_files))
    if len(references) > 1:
        raise ToolUserError("Ladda upp högst en Word-mall (.docx).")

    typed = str(inputs.get("markdown") or "")
    if typed.strip() and markdown_files:
        raise ToolUserError("Skriv texten i rutan eller ladda upp en fil – inte båda.")
    if markdown_files:
        markdown = _read_text(markdown_files[0]["path"], markdown_files[0]["name"])
        source_name = os.path.splitext(markdown_files[0]["name"])[0]
    else:
        markdown = typed
        source_name = ""
    if not markdown.strip():
        raise ToolUserError("Det finns ingen text att omvandla. Skriv Markdown i rutan eller ladda upp en .md-fil.")

    title = str(inputs.get("titel") or "").strip()
    file_name = _safe_file_name(inputs.get("filnamn") or source_name or title or _first_heading(markdown), "dokument") + ".docx"
    target = os.path.join(output_dir, file_name)

    extra_args = ["--metadata", "lang=sv-SE"]
    if title:
        extra_args += ["--metadata", "title=%s" % title]
    else:
        # pandoc warns (on stderr) about a missing title and sets none: fine for Word.
        extra_args += ["--metadata", "pagetitle=%s" % (_first_heading(markdown) or "Dokument")]
    if inputs.get("innehallsforteckning") is True:
        extra_args += ["--toc", "--toc-depth=3"]
    if inputs.get("numrerade_rubriker") is True:
        extra_args += ["--number-sections"]
    if references:
        _check_reference(references[0]["path"], references[0]["name"])
        extra_args += ["--reference-doc=%s" % references[0]["path"]]

    try:
        pypandoc.convert_text(markdown, "docx", format=SOURCE_FORMAT, outputfile=target, extra_args=extra_args)
    except (RuntimeError, OSError) as exc:
        raise ToolUserError("Word-filen kunde inte skapas. Kontrollera att Word-mallen är en vanlig .docx-fil.") from exc

    headings = len(re.findall(r"^#{1,6}\s+\S", markdown, re.MULTILINE))
    tables = len(re.findall(r"^\s*\|?\s*:?-{3,}", markdown, re.MULTILINE))
    outputs = [
        {"kind": "notice", "level": "info",
         "message": "%s är klar: %s, %s%s." % (
             file_name, _count(headings, "rubrik", "rubriker"), _count(tables, "tabell", "tabeller"),
             ", med formatmallarna från " + references[0]["name"] if references else "")},
        {"kind": "markdown", "markdown": "### Förhandsvisning\n\n" + _preview(markdown)},
    ]
    return {"outputs": outputs}
