"""Turns whatever a tool's entrypoint returned into the contract's outputs, next_actions and state.

Tool contract v2, section 1: a `str` becomes one `html_sandboxed` output; a `dict` may carry
`outputs` (list), `next_actions` (list) and `state` (object); anything else fails the run.
Values are coerced to JSON: tuples → lists, sets → sorted lists, non-string keys dropped, unknown
objects → str(), nesting capped at depth 50. The server validates and normalizes kinds and sizes
afterwards; the harness only guarantees well-formed JSON of the right overall shape.
"""

from __future__ import annotations

import json
import math
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (≈2 ms at every run's start)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

MAX_DEPTH = 50
CONTRACT_KEYS = ("outputs", "next_actions", "state")

# Bound at import time, before a tool script runs: a script that monkeypatches json cannot
# change how the result is encoded.
_dumps = json.dumps


class ReturnValueError(TypeError):
    """The entrypoint returned something other than a str or a dict."""


def _clean_str(value: str) -> str:
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:  # lone surrogates (e.g. from undecodable file names) are not UTF-8
        return value.encode("utf-8", "replace").decode("utf-8")


def _str_of(value: object) -> str:
    try:
        return _clean_str(str(value))
    except Exception:  # a broken __str__ must not break the result
        return "<unprintable %s>" % type(value).__name__


def _sort_key(value: object) -> str:
    return _dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_json_value(value: object, depth: int = 0) -> Any:
    """A JSON-safe copy of `value` (see the module docstring for the rules)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        # NaN and ±Infinity are not JSON; the server would reject the whole file
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return _clean_str(str(value))
    if depth >= MAX_DEPTH:
        return _str_of(value)
    if isinstance(value, dict):
        return {
            _clean_str(key): to_json_value(item, depth + 1) for key, item in value.items() if isinstance(key, str)
        }
    if isinstance(value, (list, tuple)):
        return [to_json_value(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [to_json_value(item, depth + 1) for item in value]
        items.sort(key=_sort_key)  # deterministic order, also for mixed types
        return items
    return _str_of(value)


def _objects_only(value: object, key: str, warn: Callable[[str], None]) -> List[Dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        warn("'%s' must be a list, got %s; ignored" % (key, type(value).__name__))
        return []
    kept: List[Dict[str, Any]] = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            kept.append(item)
        else:
            warn("%s[%d] is not an object (%s); dropped" % (key, index, type(item).__name__))
    return kept


def _stderr_warning(message: str) -> None:
    try:
        sys.stderr.write("skriptoteket: %s\n" % message)
    except Exception:  # the script may have closed stderr
        pass


def contract_fields(
    returned: object, warn: Callable[[str], None] = _stderr_warning
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]], Optional[Dict[str, Any]]]:
    """(outputs, next_actions, state) for an entrypoint's return value; raises ReturnValueError."""
    if isinstance(returned, str):
        html = _clean_str(str(returned))
        # An empty string is a run without output, as in the original Skriptoteket.
        return ([{"kind": "html_sandboxed", "html": html}] if html else []), [], None
    if not isinstance(returned, dict):
        raise ReturnValueError(
            "the entrypoint must return a str (HTML) or a dict with outputs/next_actions/state, not %s"
            % type(returned).__name__
        )
    payload = to_json_value(returned)
    for key in payload:
        if key not in CONTRACT_KEYS:
            warn("returned key '%s' is not part of the contract (outputs, next_actions, state); ignored" % key)
    outputs = _objects_only(payload.get("outputs"), "outputs", warn)
    next_actions = _objects_only(payload.get("next_actions"), "next_actions", warn)
    state = payload.get("state")
    if state is not None and not isinstance(state, dict):
        warn("'state' must be an object, got %s; ignored" % type(state).__name__)
        state = None
    return outputs, next_actions, state
