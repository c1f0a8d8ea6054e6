"""Artifacts listing and result.json writing (tool contract v2, section 3)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import tempfile
import unittest

from harness_result import (
    MAX_ERROR_SUMMARY_BYTES,
    build_result,
    collect_artifacts,
    cut_utf8,
    write_result,
)


class CutUtf8Test(unittest.TestCase):
    def test_short_text_is_unchanged(self) -> None:
        self.assertEqual(cut_utf8("Filen saknas."), "Filen saknas.")

    def test_long_text_is_cut_at_the_byte_limit_on_a_character_boundary(self) -> None:
        text = "å" * 15_000  # 2 bytes each: 30,000 bytes
        cut = cut_utf8(text)
        self.assertLessEqual(len(cut.encode("utf-8")), MAX_ERROR_SUMMARY_BYTES)
        self.assertEqual(cut, "å" * 10_000)
        odd = cut_utf8("x" + "€" * 10_000)  # 1 + 3n bytes: the cut falls inside a '€'
        self.assertEqual(odd, "x" + "€" * 6_666)


class CollectArtifactsTest(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name
        self.output = os.path.join(self.root, "output")
        os.mkdir(self.output)

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def write(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.output, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)

    def test_regular_files_in_all_subfolders_sorted_by_path(self) -> None:
        self.write("b.txt", b"12345")
        self.write("a/nested/deep.csv", b"x")
        self.write("a/z.pdf", b"")
        self.assertEqual(
            collect_artifacts(self.output),
            [
                {"path": "output/a/nested/deep.csv", "bytes": 1},
                {"path": "output/a/z.pdf", "bytes": 0},
                {"path": "output/b.txt", "bytes": 5},
            ],
        )

    def test_symlinks_and_special_files_are_skipped(self) -> None:
        self.write("real.txt", b"abc")
        outside = os.path.join(self.root, "secret")
        os.mkdir(outside)
        with open(os.path.join(outside, "s.txt"), "wb") as handle:
            handle.write(b"secret")
        os.symlink(os.path.join(outside, "s.txt"), os.path.join(self.output, "link.txt"))
        os.symlink(outside, os.path.join(self.output, "linked-folder"))
        os.mkfifo(os.path.join(self.output, "pipe"))
        self.assertEqual(collect_artifacts(self.output), [{"path": "output/real.txt", "bytes": 3}])

    def test_an_output_folder_replaced_by_a_symlink_or_missing_gives_nothing(self) -> None:
        target = os.path.join(self.root, "elsewhere")
        os.mkdir(target)
        with open(os.path.join(target, "f"), "wb") as handle:
            handle.write(b"f")
        linked = os.path.join(self.root, "linked-output")
        os.symlink(target, linked)
        self.assertEqual(collect_artifacts(linked), [])
        self.assertEqual(collect_artifacts(os.path.join(self.root, "missing")), [])

    def test_file_names_that_are_not_utf8_are_skipped(self) -> None:
        self.write("ok.txt", b"1")
        with open(os.path.join(os.fsencode(self.output), b"bad-\xff.txt"), "wb") as handle:
            handle.write(b"2")
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(collect_artifacts(self.output), [{"path": "output/ok.txt", "bytes": 1}])
        self.assertIn("skriptoteket: skipped output file with a non-UTF-8 name", stderr.getvalue())


class WriteResultTest(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self._tmp.name, "result.json")

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def read(self) -> dict:
        with open(self.path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))

    def test_the_full_result_is_written_as_compact_utf8_json(self) -> None:
        result = build_result(
            "succeeded", None, [{"kind": "markdown", "markdown": "Hej åäö"}], [], {"n": 1}, [{"path": "output/a", "bytes": 1}]
        )
        self.assertTrue(write_result(self.path, result))
        self.assertEqual(self.read(), result)
        with open(self.path, "rb") as handle:
            self.assertIn("Hej åäö".encode("utf-8"), handle.read())  # not \\u-escaped
        self.assertEqual(os.listdir(self._tmp.name), ["result.json"])  # no temporary left behind

    def test_the_error_summary_is_cut_to_20000_bytes(self) -> None:
        result = build_result("failed", "e" * 50_000, [], [], None, [])
        self.assertEqual(len(result["error_summary"]), MAX_ERROR_SUMMARY_BYTES)

    def test_an_unencodable_result_falls_back_to_a_minimal_failed_one_keeping_artifacts(self) -> None:
        artifacts = [{"path": "output/report.pdf", "bytes": 10}]
        result = build_result("succeeded", None, [{"kind": "json", "value": float("nan")}], [], None, artifacts)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertFalse(write_result(self.path, result))
        self.assertIn("could not write the result (ValueError", stderr.getvalue())
        written = self.read()
        self.assertEqual(written["contract_version"], 2)
        self.assertEqual(written["status"], "failed")
        self.assertEqual(written["error_summary"], "Tool execution failed (the result could not be written).")
        self.assertEqual(written["artifacts"], artifacts)
        self.assertEqual((written["outputs"], written["next_actions"], written["state"]), ([], [], None))

    def test_an_unwritable_location_does_not_raise(self) -> None:
        missing = os.path.join(self._tmp.name, "no-such-folder", "result.json")
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertFalse(write_result(missing, build_result("succeeded", None, [], [], None, [])))
        self.assertEqual(stderr.getvalue().count("could not write a minimal result"), 2)
        self.assertFalse(os.path.exists(missing))

    def test_an_existing_result_is_replaced(self) -> None:
        with open(self.path, "w") as handle:
            handle.write("old garbage")
        os.chmod(self.path, stat.S_IRUSR)  # read-only file in a writable folder: rename still replaces it
        self.assertTrue(write_result(self.path, build_result("succeeded", None, [], [], None, [])))
        self.assertEqual(self.read()["status"], "succeeded")


if __name__ == "__main__":
    unittest.main()
