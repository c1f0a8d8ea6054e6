"""pdf_helper.save_as_pdf: name checks, traversal checks and Swedish errors.

WeasyPrint itself is replaced by a stand-in here (it is not on every host); the real rendering
is exercised inside the image by runner/runner-image.test.ts.
"""

from __future__ import annotations

import os
import sys
import tempfile
import types
import unittest
from typing import Any, Dict, List
from unittest import mock

import pdf_helper
from tool_errors import ToolUserError


def fake_weasyprint(calls: List[Dict[str, Any]], fail: bool = False) -> types.ModuleType:
    module = types.ModuleType("weasyprint")

    class HTML:
        def __init__(self, string: str, base_url: str) -> None:
            self.string, self.base_url = string, base_url

        def write_pdf(self, target: str) -> None:
            if fail:
                raise ValueError("broken CSS")
            calls.append({"html": self.string, "base_url": self.base_url, "target": target})
            with open(target, "wb") as handle:
                handle.write(b"%PDF-1.7 fake")

    module.HTML = HTML  # type: ignore[attr-defined]
    return module


class SaveAsPdfTest(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.output = os.path.join(self._tmp.name, "output")
        self.calls: List[Dict[str, Any]] = []
        patcher = mock.patch.dict(sys.modules, {"weasyprint": fake_weasyprint(self.calls)})
        patcher.start()
        self.addCleanup(patcher.stop)

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def test_renders_into_output_dir_and_returns_the_absolute_path(self) -> None:
        path = pdf_helper.save_as_pdf("<h1>Hej</h1>", self.output, "rapport.pdf")
        self.assertEqual(path, os.path.join(self.output, "rapport.pdf"))
        self.assertEqual(self.calls, [{"html": "<h1>Hej</h1>", "base_url": "/work/", "target": path}])
        with open(path, "rb") as handle:
            self.assertTrue(handle.read().startswith(b"%PDF"))

    def test_subfolders_are_created_and_backslashes_are_folder_separators(self) -> None:
        self.assertEqual(
            pdf_helper.save_as_pdf("x", self.output, "klass 7B/omdömen.PDF"),
            os.path.join(self.output, "klass 7B", "omdömen.PDF"),
        )
        self.assertEqual(
            pdf_helper.save_as_pdf("x", self.output, "a\\b.pdf"), os.path.join(self.output, "a", "b.pdf")
        )
        # "." parts are harmless and normalized away
        self.assertEqual(pdf_helper.save_as_pdf("x", self.output, "./c/./d.pdf"), os.path.join(self.output, "c", "d.pdf"))

    def test_bad_names_are_refused_in_swedish_without_rendering(self) -> None:
        cases = {
            "": "måste sluta med .pdf",
            "   ": "måste sluta med .pdf",
            "rapport.txt": "måste sluta med .pdf",
            "rapport": "måste sluta med .pdf",
            "/etc/x.pdf": "relativ sökväg",
            "../x.pdf": "'..'",
            "a/../../x.pdf": "'..'",
            "..\\x.pdf": "'..'",
            "x\x00.pdf": "ogiltiga tecken",
        }
        for name, fragment in cases.items():
            with self.assertRaises(ToolUserError, msg=repr(name)) as caught:
                pdf_helper.save_as_pdf("<p>", self.output, name)
            self.assertIn("Ogiltigt filnamn", str(caught.exception))
            self.assertIn(fragment, str(caught.exception), repr(name))
        with self.assertRaises(ToolUserError):
            pdf_helper.save_as_pdf("<p>", self.output, None)  # type: ignore[arg-type]
        self.assertEqual(self.calls, [])

    def test_a_symlink_leading_out_of_output_dir_is_refused(self) -> None:
        outside = os.path.join(self._tmp.name, "outside")
        os.makedirs(outside)
        os.makedirs(self.output)
        os.symlink(outside, os.path.join(self.output, "sneaky"))
        os.symlink(os.path.join(outside, "t.pdf"), os.path.join(self.output, "t.pdf"))
        for name in ("sneaky/x.pdf", "t.pdf"):
            with self.assertRaises(ToolUserError) as caught:
                pdf_helper.save_as_pdf("<p>", self.output, name)
            self.assertIn("output-mappen", str(caught.exception))
        self.assertEqual(os.listdir(outside), [])

    def test_html_must_be_text(self) -> None:
        with self.assertRaises(ToolUserError) as caught:
            pdf_helper.save_as_pdf(b"<p>", self.output, "x.pdf")  # type: ignore[arg-type]
        self.assertIn("HTML-text", str(caught.exception))

    def test_a_rendering_failure_becomes_a_tool_user_error_with_the_cause_chained(self) -> None:
        with mock.patch.dict(sys.modules, {"weasyprint": fake_weasyprint(self.calls, fail=True)}):
            with self.assertRaises(ToolUserError) as caught:
                pdf_helper.save_as_pdf("<p>", self.output, "x.pdf")
        self.assertIn("PDF-rendering misslyckades", str(caught.exception))
        self.assertIsInstance(caught.exception.__cause__, ValueError)

    def test_an_output_dir_that_cannot_be_created_is_a_tool_user_error(self) -> None:
        blocker = os.path.join(self._tmp.name, "file")
        with open(blocker, "w") as handle:
            handle.write("not a folder")
        with self.assertRaises(ToolUserError) as caught:
            pdf_helper.save_as_pdf("<p>", os.path.join(blocker, "output"), "x.pdf")
        self.assertIn("Kunde inte skapa mappen", str(caught.exception))


class ToolUserErrorTest(unittest.TestCase):
    def test_the_message_is_stripped_and_kept_as_safe_message(self) -> None:
        error = ToolUserError("  Filtypen stöds inte.\n")
        self.assertEqual(str(error), "Filtypen stöds inte.")
        self.assertEqual(error.safe_message, "Filtypen stöds inte.")

    def test_an_empty_message_gets_a_swedish_default(self) -> None:
        self.assertEqual(str(ToolUserError("  ")), "Ett fel inträffade.")
        self.assertEqual(ToolUserError().safe_message, "Ett fel inträffade.")

    def test_a_non_string_message_is_converted(self) -> None:
        self.assertEqual(str(ToolUserError(404)), "404")


if __name__ == "__main__":
    unittest.main()
