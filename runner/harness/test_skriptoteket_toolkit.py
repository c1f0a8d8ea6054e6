"""skriptoteket_toolkit reads the run's environment (tool contract v2, section 2) and never raises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest
from typing import Dict
from unittest import mock

import skriptoteket_toolkit as toolkit

VARIABLES = ("SKRIPTOTEKET_INPUTS", "SKRIPTOTEKET_INPUT_MANIFEST", "SKRIPTOTEKET_ACTION", "SKRIPTOTEKET_MEMORY_PATH")
MALFORMED = ("", "   ", "{", "not json", "[1, 2]", "42", "null", '"text"', "[" * 100_000)


def environment(**values: str) -> "mock._patch[Dict[str, str]]":
    """os.environ without any SKRIPTOTEKET_ variable except the ones given."""
    clean = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    clean.update(values)
    return mock.patch.dict(os.environ, clean, clear=True)


class InputsTest(unittest.TestCase):
    def test_form_values_are_returned_as_sent(self) -> None:
        with environment(SKRIPTOTEKET_INPUTS='{"klass":"7B","antal":3,"med_namn":true}'):
            self.assertEqual(toolkit.read_inputs(), {"klass": "7B", "antal": 3, "med_namn": True})

    def test_missing_or_malformed_gives_an_empty_dict(self) -> None:
        with environment():
            self.assertEqual(toolkit.read_inputs(), {})
        for raw in MALFORMED:
            with environment(SKRIPTOTEKET_INPUTS=raw):
                self.assertEqual(toolkit.read_inputs(), {}, raw[:20])


class ManifestTest(unittest.TestCase):
    MANIFEST = {
        "files": [
            {"name": "elever.xlsx", "path": "/work/input/elever.xlsx", "bytes": 5120},
            {"name": "no-bytes", "path": "/work/input/no-bytes"},
            {"name": "bool-bytes", "path": "/work/input/b", "bytes": True},
            {"name": 7, "path": "/work/input/7", "bytes": 1},
            "stray",
            {"name": "tom.csv", "path": "/work/input/tom.csv", "bytes": 0},
        ]
    }

    def test_the_manifest_is_returned_and_valid_files_listed(self) -> None:
        with environment(SKRIPTOTEKET_INPUT_MANIFEST=json.dumps(self.MANIFEST)):
            self.assertEqual(toolkit.read_input_manifest(), self.MANIFEST)
            self.assertEqual(
                toolkit.list_input_files(),
                [
                    {"name": "elever.xlsx", "path": "/work/input/elever.xlsx", "bytes": 5120},
                    {"name": "tom.csv", "path": "/work/input/tom.csv", "bytes": 0},
                ],
            )

    def test_missing_or_malformed_gives_no_files(self) -> None:
        for raw in MALFORMED + ('{"files": "x"}', '{"files": null}', "{}"):
            with environment(SKRIPTOTEKET_INPUT_MANIFEST=raw):
                self.assertEqual(toolkit.list_input_files(), [], raw[:20])
                manifest = toolkit.read_input_manifest()
                self.assertIsInstance(manifest, dict)
        with environment():
            self.assertEqual(toolkit.read_input_manifest(), {"files": []})


class ActionTest(unittest.TestCase):
    def test_an_action_run_gives_its_id_input_and_state(self) -> None:
        action = {"action_id": " nasta ", "input": {"note": "x"}, "state": {"step": 2}}
        with environment(SKRIPTOTEKET_ACTION=json.dumps(action)):
            self.assertEqual(toolkit.read_action(), {"action_id": "nasta", "input": {"note": "x"}, "state": {"step": 2}})
            self.assertEqual(toolkit.get_action_parts(), ("nasta", {"note": "x"}, {"step": 2}))

    def test_input_and_state_of_the_wrong_type_become_empty(self) -> None:
        with environment(SKRIPTOTEKET_ACTION='{"action_id":"a","input":[1],"state":"s"}'):
            self.assertEqual(toolkit.get_action_parts(), ("a", {}, {}))

    def test_a_first_run_or_malformed_action_gives_none(self) -> None:
        with environment():
            self.assertIsNone(toolkit.read_action())
            self.assertEqual(toolkit.get_action_parts(), (None, {}, {}))
        for raw in MALFORMED + ('{"action_id": ""}', '{"action_id": "  "}', '{"action_id": 5}', '{"input": {}}'):
            with environment(SKRIPTOTEKET_ACTION=raw):
                self.assertIsNone(toolkit.read_action(), raw[:20])
                self.assertEqual(toolkit.get_action_parts(), (None, {}, {}))


class MemoryTest(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self._tmp.name, "memory.json")

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def write(self, text: str) -> None:
        with open(self.path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def test_settings_come_from_the_memory_file(self) -> None:
        self.write('{"settings": {"skola": "Åsaskolan", "visa_namn": false}}')
        with environment(SKRIPTOTEKET_MEMORY_PATH=self.path):
            self.assertEqual(toolkit.read_memory(), {"settings": {"skola": "Åsaskolan", "visa_namn": False}})
            self.assertEqual(toolkit.read_settings(), {"skola": "Åsaskolan", "visa_namn": False})

    def test_missing_path_file_or_content_gives_empty_dicts(self) -> None:
        with environment():
            self.assertEqual((toolkit.read_memory(), toolkit.read_settings()), ({}, {}))
        with environment(SKRIPTOTEKET_MEMORY_PATH=os.path.join(self._tmp.name, "missing.json")):
            self.assertEqual((toolkit.read_memory(), toolkit.read_settings()), ({}, {}))
        with environment(SKRIPTOTEKET_MEMORY_PATH=self._tmp.name):  # a folder, not a file
            self.assertEqual(toolkit.read_memory(), {})
        for text in ("", "{", "[]", '{"settings": [1]}', '{"settings": null}', "\x00"):
            self.write(text)
            with environment(SKRIPTOTEKET_MEMORY_PATH=self.path):
                self.assertEqual(toolkit.read_settings(), {}, repr(text))
        with open(self.path, "wb") as handle:
            handle.write(b'{"settings": {"a": "\xff"}}')  # not UTF-8
        with environment(SKRIPTOTEKET_MEMORY_PATH=self.path):
            self.assertEqual(toolkit.read_memory(), {})


class ImportCostTest(unittest.TestCase):
    def test_importing_the_toolkit_does_not_import_typing_but_the_type_names_still_work(self) -> None:
        here = os.path.dirname(os.path.abspath(__file__))
        probe = (
            "import sys; before = 'typing' in sys.modules; import skriptoteket_toolkit as t; "
            "after = 'typing' in sys.modules; m = t.ManifestFile; "
            "print(before, after, m.__name__, m.__module__, sorted(m.__annotations__), sorted(t.ActionPayload.__annotations__), "
            "t.JsonValue is t.JsonValue, 'ManifestFile' in t.__all__)"
        )
        done = subprocess.run([sys.executable, "-c", probe], cwd=here, capture_output=True, text=True, check=True)
        before, after, *rest = done.stdout.split(" ", 2)
        # a host whose site already imports typing cannot show the difference
        if before == "False":
            self.assertEqual(after, "False")
        self.assertEqual(
            rest[0].strip(),
            "ManifestFile skriptoteket_toolkit ['bytes', 'name', 'path'] ['action_id', 'input', 'state'] True True",
        )


if __name__ == "__main__":
    unittest.main()
