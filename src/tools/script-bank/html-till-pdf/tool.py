"""HTML till PDF in two steps: first a preview, then "Skapa PDF".

Step 1 (the form) reads the HTML (typed or an uploaded .html file), shows it as a sandboxed preview
and keeps it, compressed, in `state` (action runs get no uploads, so the HTML must travel there).
Step 2 (next action "skapa_pdf") renders it with pdf_helper.save_as_pdf (WeasyPrint) with the chosen
page size and margins, and reports the number of pages. Scripts in the HTML never run: the preview
is sandboxed and WeasyPrint does not execute JavaScript.
"""
import base64
import os
import re
import zlib

from pdf_helper import save_as_pdf
from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs
from tool_errors import ToolUserError

# The state may hold 64 KiB; the compressed HTML gets most of it.
MAX_STORED_BYTES = 56 * 1024
MAX_PREVIEW_BYTES = 90 * 1024  # an html_sandboxed output may hold 96 KiB
PAGE_SIZES = {
    "a4": "A4 portrait",
    "a4-liggande": "A4 landscape",
    "a5": "A5 portrait",
    "letter": "letter portrait",
}
MARGINS = {"normal": "2cm", "smal": "1cm", "bred": "3cm"}


def _decode(data, name):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ToolUserError("Filen %s går inte att läsa som text. Spara den som UTF-8." % name)


def _html_from_inputs(inputs):
    files = list_input_files()
    typed = str(inputs.get("html") or "")
    if files and typed.strip():
        raise ToolUserError("Klistra in HTML-koden eller ladda upp en fil – inte båda.")
    if files:
        with open(files[0]["path"], "rb") as handle:
            html = _decode(handle.read(), files[0]["name"])
        return html, os.path.splitext(files[0]["name"])[0]
    return typed, ""


def _safe_file_name(text):
    name = re.sub(r"[^\w\- åäöÅÄÖ]+", "", str(text or "")).strip().replace(" ", "-")
    return (name[:80] or "dokument") + ".pdf"


def _title_of(html):
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL) or re.search(
        r"<h1[^>]*>(.*?)</h1>", html, re.IGNORECASE | re.DOTALL)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _pack(html):
    return base64.b64encode(zlib.compress(html.encode("utf-8"), 9)).decode("ascii")


def _unpack(packed):
    try:
        return zlib.decompress(base64.b64decode(str(packed))).decode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise ToolUserError("HTML-koden från förhandsvisningen finns inte kvar. Börja om med steg 1.") from exc


def _with_page_css(html, page, margin):
    """The chosen page size and margins, placed first so the document's own @page rules win."""
    css = "<style>@page { size: %s; margin: %s; }</style>" % (PAGE_SIZES.get(page, PAGE_SIZES["a4"]), MARGINS.get(margin, MARGINS["normal"]))
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head:
        return html[:head.end()] + css + html[head.end():]
    return css + html


def _external_resources(html):
    return sorted(set(re.findall(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""", html, re.IGNORECASE)))


def first_step(inputs):
    html, source_name = _html_from_inputs(inputs)
    if not html.strip():
        raise ToolUserError("Det finns ingen HTML att göra PDF av. Klistra in HTML-kod eller ladda upp en .html-fil.")
    if "<" not in html:
        raise ToolUserError("Texten innehåller inga HTML-taggar. Verktyget gör PDF av HTML-kod, till exempel <h1>Rubrik</h1><p>Text</p>.")
    packed = _pack(html)
    if len(packed) > MAX_STORED_BYTES:
        raise ToolUserError(
            "HTML-koden är för stor (%d kB komprimerad, högst %d kB). Ta bort inbäddade bilder eller dela upp dokumentet."
            % (len(packed) // 1024, MAX_STORED_BYTES // 1024))
    page = inputs.get("sidformat") if inputs.get("sidformat") in PAGE_SIZES else "a4"
    margin = inputs.get("marginaler") if inputs.get("marginaler") in MARGINS else "normal"
    file_name = _safe_file_name(inputs.get("filnamn") or source_name or _title_of(html))

    outputs = [{"kind": "notice", "level": "info",
                "message": "Så här ser innehållet ut. Tryck på Skapa PDF när det ser rätt ut."}]
    external = _external_resources(html)
    if external:
        outputs.append({"kind": "notice", "level": "warning",
                        "message": "Bilder, typsnitt och stilmallar från internet kan inte hämtas och saknas i PDF:en: %s" % ", ".join(external[:5])})
    if re.search(r"<script", html, re.IGNORECASE):
        outputs.append({"kind": "notice", "level": "info", "message": "JavaScript i HTML-koden körs inte, varken i förhandsvisningen eller i PDF:en."})
    if len(html.encode("utf-8")) <= MAX_PREVIEW_BYTES:
        outputs.append({"kind": "html_sandboxed", "html": html})
    else:
        outputs.append({"kind": "notice", "level": "warning", "message": "Dokumentet är för stort för förhandsvisning, men PDF:en går att skapa."})
    next_actions = [{
        "action_id": "skapa_pdf",
        "label": "Skapa PDF",
        "kind": "form",
        "fields": [{"kind": "string", "name": "filnamn", "label": "Filnamn", "max": 80}],
        "prefill": {"filnamn": file_name},
    }]
    state = {"html": packed, "sidformat": page, "marginaler": margin, "filnamn": file_name}
    return {"outputs": outputs, "next_actions": next_actions, "state": state}


def pdf_step(action_input, state, output_dir):
    if not state.get("html"):
        raise ToolUserError("HTML-koden från förhandsvisningen finns inte kvar. Börja om med steg 1.")
    html = _unpack(state["html"])
    file_name = _safe_file_name(os.path.splitext(str(action_input.get("filnamn") or state.get("filnamn") or ""))[0])
    save_as_pdf(_with_page_css(html, state.get("sidformat"), state.get("marginaler")), output_dir, file_name)

    from pypdf import PdfReader

    pages = len(PdfReader(os.path.join(output_dir, file_name)).pages)
    return {"outputs": [{"kind": "notice", "level": "info",
                         "message": "%s är klar (%d %s). Ladda ned den under Filer." % (file_name, pages, "sida" if pages == 1 else "sidor")}]}


def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    if action_id is None:
        return first_step(read_inputs())
    if action_id == "skapa_pdf":
        return pdf_step(action_input, state, output_dir)
    raise ToolUserError("Okänt steg: %s. Börja om med steg 1." % action_id)
