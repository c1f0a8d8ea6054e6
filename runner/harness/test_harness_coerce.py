"""Coercion of entrypoint return values to contract JSON (tool contract v2, section 1)."""

from __future__ import annotations

import json
import math
import unittest
from typing import List

from harness_coerce import MAX_DEPTH, ReturnValueError, contract_fields, to_json_value


class Opaque:
    def __str__(self) -> str:
        return "opaque-object"


class BrokenStr:
    def __str__(self) -> str:
        raise RuntimeError("no")


class ToJsonValueTest(unittest.TestCase):
    def test_primitives_pass_through(self) -> None:
        for value in (None, True, False, 0, -7, 2.5, "text", "åäö"):
            self.assertEqual(to_json_value(value), value)

    def test_tuples_become_lists_recursively(self) -> None:
        self.assertEqual(to_json_value((1, (2, 3), [4, (5,)])), [1, [2, 3], [4, [5]]])

    def test_sets_become_sorted_lists_also_with_mixed_types(self) -> None:
        self.assertEqual(to_json_value({3, 1, 2}), [1, 2, 3])
        self.assertEqual(to_json_value(frozenset({"b", "a"})), ["a", "b"])
        # mixed types cannot be compared with <; they are ordered by their JSON text
        # ('"1"' < '1' < '[2,1]' < 'null'), the same whatever order the set iterates in
        self.assertEqual(to_json_value({1, "1", None, (2, 1)}), ["1", 1, [2, 1], None])

    def test_non_string_keys_are_dropped(self) -> None:
        self.assertEqual(to_json_value({"a": 1, 2: "two", (3,): 3, None: 0, "b": {5: 5, "c": 6}}), {"a": 1, "b": {"c": 6}})

    def test_unknown_objects_become_their_str(self) -> None:
        self.assertEqual(to_json_value({"x": Opaque()}), {"x": "opaque-object"})
        self.assertEqual(to_json_value(b"bytes"), "b'bytes'")

    def test_an_object_whose_str_raises_gets_a_placeholder(self) -> None:
        self.assertEqual(to_json_value(BrokenStr()), "<unprintable BrokenStr>")

    def test_non_finite_floats_become_null(self) -> None:
        self.assertEqual(to_json_value([math.nan, math.inf, -math.inf, 1.5]), [None, None, None, 1.5])

    def test_subclasses_of_primitives_become_plain_values(self) -> None:
        class MyInt(int):
            pass

        class MyStr(str):
            pass

        value = to_json_value([MyInt(4), MyStr("s")])
        self.assertIs(type(value[0]), int)
        self.assertIs(type(value[1]), str)

    def test_lone_surrogates_are_replaced_so_the_result_is_valid_utf8(self) -> None:
        value = to_json_value({"name\udcff": "bad\udc80"})
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # raises if any surrogate survived
        self.assertEqual(value, {"name?": "bad?"})

    def test_nesting_is_capped_at_depth_50(self) -> None:
        deep: object = "leaf"
        for _ in range(MAX_DEPTH + 5):
            deep = [deep]
        value = to_json_value(deep)
        depth = 0
        while isinstance(value, list):
            value = value[0]
            depth += 1
        self.assertEqual(depth, MAX_DEPTH)
        self.assertIsInstance(value, str)  # the container at depth 50 became its str()
        self.assertTrue(value.startswith("[[[[["))

    def test_self_referencing_structures_terminate(self) -> None:
        loop: List[object] = []
        loop.append(loop)
        value = to_json_value(loop)
        json.dumps(value)


class ContractFieldsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.warnings: List[str] = []

    def fields(self, returned: object):  # type: ignore[no-untyped-def]
        return contract_fields(returned, warn=self.warnings.append)

    def test_a_string_is_one_html_sandboxed_output(self) -> None:
        self.assertEqual(self.fields("<p>Hej</p>"), ([{"kind": "html_sandboxed", "html": "<p>Hej</p>"}], [], None))

    def test_an_empty_string_is_a_run_without_outputs(self) -> None:
        self.assertEqual(self.fields(""), ([], [], None))

    def test_a_dict_gives_outputs_actions_and_state(self) -> None:
        action = {"action_id": "next", "label": "Nästa", "kind": "form", "fields": ({"name": "n", "kind": "integer", "label": "N"},)}
        outputs, actions, state = self.fields(
            {"outputs": [{"kind": "markdown", "markdown": "# Hej"}], "next_actions": [action], "state": {"step": 1, "seen": {2, 1}}}
        )
        self.assertEqual(outputs, [{"kind": "markdown", "markdown": "# Hej"}])
        self.assertEqual(actions[0]["fields"], [{"name": "n", "kind": "integer", "label": "N"}])
        self.assertEqual(state, {"step": 1, "seen": [1, 2]})
        self.assertEqual(self.warnings, [])

    def test_all_keys_are_optional(self) -> None:
        self.assertEqual(self.fields({}), ([], [], None))
        self.assertEqual(self.fields({"outputs": None, "state": None}), ([], [], None))

    def test_a_tuple_of_outputs_counts_as_a_list(self) -> None:
        outputs, _, _ = self.fields({"outputs": ({"kind": "notice", "level": "info", "message": "x"},)})
        self.assertEqual(len(outputs), 1)

    def test_wrong_shapes_are_dropped_with_a_warning(self) -> None:
        outputs, actions, state = self.fields(
            {"outputs": [{"kind": "markdown", "markdown": "ok"}, "stray", 3], "next_actions": "nope", "state": [1], "html": "x"}
        )
        self.assertEqual(outputs, [{"kind": "markdown", "markdown": "ok"}])
        self.assertEqual(actions, [])
        self.assertIsNone(state)
        joined = "\n".join(self.warnings)
        for fragment in ("outputs[1]", "outputs[2]", "'next_actions' must be a list", "'state' must be an object", "'html'"):
            self.assertIn(fragment, joined)

    def test_anything_but_str_or_dict_is_an_error(self) -> None:
        for returned in (None, 1, ["<p>"], ("a",), b"<p>", Opaque()):
            with self.assertRaises(ReturnValueError) as caught:
                self.fields(returned)
            self.assertIn(type(returned).__name__, str(caught.exception))


if __name__ == "__main__":
    unittest.main()
