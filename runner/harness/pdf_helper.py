"""HTML → PDF for tool scripts, rendered with WeasyPrint into the run's output directory.

    from pdf_helper import save_as_pdf
    pdf_path = save_as_pdf(html, output_dir, "rapport.pdf")   # → "/work/output/rapport.pdf"

The file name must be relative, end in .pdf and stay inside output_dir (sub-folders are fine), so the
PDF becomes an ordinary artifact. Every failure raises ToolUserError with a Swedish message the user
can read; the cause stays chained for the traceback on stderr.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from tool_errors import ToolUserError

__all__ = ["save_as_pdf"]

# Relative URLs in the HTML (images, stylesheets) resolve against the run's work directory,
# so "input/logo.png" and "output/chart.png" both work.
BASE_URL = "/work/"


def _relative_pdf_path(filename: object) -> PurePosixPath:
    if not isinstance(filename, str) or not filename.strip():
        raise ToolUserError("Ogiltigt filnamn. Filnamnet måste sluta med .pdf.")
    if "\x00" in filename:
        raise ToolUserError("Ogiltigt filnamn. Filnamnet innehåller ogiltiga tecken.")
    path = PurePosixPath(filename.strip().replace("\\", "/"))
    if path.is_absolute():
        raise ToolUserError("Ogiltigt filnamn. Filnamnet måste vara en relativ sökväg under output.")
    if ".." in path.parts:  # PurePosixPath already drops "." parts
        raise ToolUserError("Ogiltigt filnamn. Filnamnet får inte innehålla '..'.")
    if path.suffix.lower() != ".pdf":
        raise ToolUserError("Ogiltigt filnamn. Filnamnet måste sluta med .pdf.")
    return path


def _target_inside(output_dir: str, relative: PurePosixPath) -> Path:
    root = Path(output_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolUserError("Kunde inte skapa mappen för PDF-filen.") from exc
    # resolve() follows symlinks, so a link planted inside output_dir cannot lead the write outside it
    resolved_root = root.resolve()
    resolved_target = target.resolve()
    if resolved_root not in resolved_target.parents:
        raise ToolUserError("Ogiltigt filnamn. PDF-filen måste sparas i output-mappen.")
    return target


def save_as_pdf(html: str, output_dir: str, filename: str) -> str:
    """Render `html` to `output_dir/filename` and return the PDF's absolute path."""
    if not isinstance(html, str):
        raise ToolUserError("PDF kunde inte skapas: innehållet måste vara HTML-text.")
    target = _target_inside(str(output_dir), _relative_pdf_path(filename))
    try:
        # Imported here: most scripts never make PDFs and WeasyPrint takes ≈0.5 s to import.
        from weasyprint import HTML

        HTML(string=html, base_url=BASE_URL).write_pdf(target=str(target))
    except ToolUserError:
        raise
    except Exception as exc:  # any rendering failure becomes a message the user can act on
        raise ToolUserError(
            "PDF-rendering misslyckades. Kontrollera att HTML/CSS är giltig och att filnamnet slutar med .pdf."
        ) from exc
    return str(target.absolute())
