"""Helpers for tool scripts to read what Skriptoteket hands them (tool contract v2, section 2).

Every function returns a predictable default when a variable is missing or holds malformed JSON,
so a script never crashes on its own input plumbing:

    from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_settings

    action_id, action_input, state = get_action_parts()   # (None, {}, {}) on a first run
    inputs = action_input if action_id else read_inputs()
    settings = read_settings()
    paths = [f["path"] for f in list_input_files()]
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers treat it as True)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, TypedDict, Union

    JsonValue = Union[None, bool, int, float, str, List[Any], Dict[str, Any]]

    class ManifestFile(TypedDict):
        name: str
        path: str
        bytes: int

    class ActionPayload(TypedDict):
        action_id: str
        input: Dict[str, JsonValue]
        state: Dict[str, JsonValue]


__all__ = [
    "ActionPayload",
    "JsonValue",
    "ManifestFile",
    "get_action_parts",
    "list_input_files",
    "read_action",
    "read_input_manifest",
    "read_inputs",
    "read_memory",
    "read_settings",
]

_TYPE_NAMES = ("ActionPayload", "JsonValue", "ManifestFile")


def __getattr__(name: str) -> object:
    # The type names exist at run time too (a script may use them in annotations that are evaluated),
    # but are built on first use: importing typing costs ≈2 ms, paid on every run of every script that
    # imports the toolkit, and most never touch these names.
    if name not in _TYPE_NAMES:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from typing import Any, Dict, List, TypedDict, Union

    json_value = Union[None, bool, int, float, str, List[Any], Dict[str, Any]]
    types = {
        "JsonValue": json_value,
        "ManifestFile": TypedDict("ManifestFile", {"name": str, "path": str, "bytes": int}),
        "ActionPayload": TypedDict(
            "ActionPayload", {"action_id": str, "input": Dict[str, json_value], "state": Dict[str, json_value]}
        ),
    }
    globals().update(types)  # built once; later look-ups find them directly
    return types[name]


def _json_from_env(name: str) -> object:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; absurd nesting recurses
        return None


def _json_from_file(path: str) -> object:
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None


def read_inputs() -> Dict[str, JsonValue]:
    """The form values of the first run (SKRIPTOTEKET_INPUTS); {} when missing or invalid."""
    payload = _json_from_env("SKRIPTOTEKET_INPUTS")
    return payload if isinstance(payload, dict) else {}


def read_input_manifest() -> Dict[str, JsonValue]:
    """SKRIPTOTEKET_INPUT_MANIFEST as sent, `{"files": [...]}`; {"files": []} when missing or invalid."""
    payload = _json_from_env("SKRIPTOTEKET_INPUT_MANIFEST")
    return payload if isinstance(payload, dict) else {"files": []}


def list_input_files() -> List[ManifestFile]:
    """The uploaded files as `{"name", "path", "bytes"}`; entries of the wrong shape are left out."""
    files = read_input_manifest().get("files")
    if not isinstance(files, list):
        return []
    result: List[ManifestFile] = []
    for item in files:
        if not isinstance(item, dict):
            continue
        name, path, size = item.get("name"), item.get("path"), item.get("bytes")
        # bool is an int subclass; `true` is not a byte count
        if isinstance(name, str) and isinstance(path, str) and isinstance(size, int) and not isinstance(size, bool):
            result.append({"name": name, "path": path, "bytes": size})
    return result


def read_action() -> Optional[ActionPayload]:
    """The action of an action run (SKRIPTOTEKET_ACTION); None on a first run or when malformed."""
    payload = _json_from_env("SKRIPTOTEKET_ACTION")
    if not isinstance(payload, dict):
        return None
    action_id = payload.get("action_id")
    if not isinstance(action_id, str) or not action_id.strip():
        return None
    action_input = payload.get("input")
    state = payload.get("state")
    return {
        "action_id": action_id.strip(),
        "input": action_input if isinstance(action_input, dict) else {},
        "state": state if isinstance(state, dict) else {},
    }


def get_action_parts() -> Tuple[Optional[str], Dict[str, JsonValue], Dict[str, JsonValue]]:
    """(action_id, input, state); (None, {}, {}) when this is not (or not a valid) action run."""
    action = read_action()
    if action is None:
        return None, {}, {}
    return action["action_id"], action["input"], action["state"]


def read_memory() -> Dict[str, JsonValue]:
    """The JSON object in the file named by SKRIPTOTEKET_MEMORY_PATH; {} when missing or invalid."""
    path = os.environ.get("SKRIPTOTEKET_MEMORY_PATH", "").strip()
    if not path:
        return {}
    payload = _json_from_file(path)
    return payload if isinstance(payload, dict) else {}


def read_settings() -> Dict[str, JsonValue]:
    """The user's saved settings (`memory["settings"]`); {} when there are none."""
    settings = read_memory().get("settings")
    return settings if isinstance(settings, dict) else {}
