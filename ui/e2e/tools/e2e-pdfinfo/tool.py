"""PDF-kontroll (browser journey test tool): reads the one input file — an upload or a stored document —
and reports its name, size, whether it starts like a PDF and how many pages it declares."""
import re

from skriptoteket_toolkit import list_input_files
from tool_errors import ToolUserError


def run_tool(input_dir, output_dir):
    files = list_input_files()
    if not files:
        raise ToolUserError("Välj en PDF-fil.")
    info = files[0]
    with open(info["path"], "rb") as handle:
        data = handle.read()
    if not data.startswith(b"%PDF-"):
        raise ToolUserError("Filen %s är ingen PDF." % info["name"])
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return {
        "outputs": [
            {"kind": "notice", "level": "info", "message": "%s: %d byte, %d sidor." % (info["name"], len(data), pages)},
        ]
    }
