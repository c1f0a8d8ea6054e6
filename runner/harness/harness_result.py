"""Writes /work/result.json (tool contract v2, section 3) and lists the run's artifacts.

The server trusts nothing in this file and validates it strictly; the harness's job is to always
leave a well-formed file behind, even when the full result cannot be written.
"""

from __future__ import annotations

import json
import os
import stat
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (≈2 ms at every run's start)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

CONTRACT_VERSION = 2
MAX_ERROR_SUMMARY_BYTES = 20_000
ARTIFACT_PREFIX = "output/"

# See harness_coerce: bound before any tool script can patch the json module.
_dumps = json.dumps


def note(message: str) -> None:
    """A diagnostic line on stderr; silent if the script closed or replaced stderr badly."""
    try:
        sys.stderr.write("skriptoteket: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


def cut_utf8(text: str, max_bytes: int = MAX_ERROR_SUMMARY_BYTES) -> str:
    """`text` shortened to at most `max_bytes` of UTF-8, never splitting a character."""
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= max_bytes:
        return encoded.decode("utf-8")
    return encoded[:max_bytes].decode("utf-8", "ignore")


def collect_artifacts(output_dir: str) -> List[Dict[str, Any]]:
    """Every regular file under output_dir as {"path": "output/<rel>", "bytes": n}, sorted by path.

    Symlinks (to files or folders) and special files are skipped: the server refuses them anyway.
    """
    try:
        if not stat.S_ISDIR(os.lstat(output_dir).st_mode):
            return []  # the script replaced the folder with a file or a symlink
    except OSError:
        return []
    artifacts: List[Dict[str, Any]] = []
    # os.walk does not descend into symlinked folders (followlinks=False)
    for folder, _subfolders, names in os.walk(output_dir, onerror=None):
        for name in names:
            full = os.path.join(folder, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            relative = os.path.relpath(full, output_dir).replace(os.sep, "/")
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                note("skipped output file with a non-UTF-8 name: %r" % relative)
                continue
            artifacts.append({"path": ARTIFACT_PREFIX + relative, "bytes": info.st_size})
    artifacts.sort(key=lambda artifact: artifact["path"])
    return artifacts


def build_result(
    status: str,
    error_summary: Optional[str],
    outputs: List[Dict[str, Any]],
    next_actions: List[Dict[str, Any]],
    state: Optional[Dict[str, Any]],
    artifacts: List[Dict[str, Any]],
) -> Dict[str, Any]:
    return {
        "contract_version": CONTRACT_VERSION,
        "status": status,
        "error_summary": None if error_summary is None else cut_utf8(error_summary),
        "outputs": outputs,
        "next_actions": next_actions,
        "state": state,
        "artifacts": artifacts,
    }


def _write_atomically(path: str, data: bytes) -> None:
    # A reader never sees half a file: write beside the target, then rename over it.
    temporary = "%s.tmp-%d" % (path, os.getpid())
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_result(path: str, result: Dict[str, Any]) -> bool:
    """Writes `result`; when that fails, a minimal failed result. Never raises; True if the full one was written."""
    try:
        data = _dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        _write_atomically(path, data)
        return True
    except BaseException as error:  # noqa: BLE001 - the harness must still exit 0 with a result on disk
        note("could not write the result (%s: %s)" % (type(error).__name__, error))
    # Fall back to a small failed result: first with the artifact list (the files are still
    # delivered), then without it.
    artifacts = result.get("artifacts") if isinstance(result.get("artifacts"), list) else []
    for fallback_artifacts in (artifacts, []):
        minimal = build_result(
            "failed", "Tool execution failed (the result could not be written).", [], [], None, fallback_artifacts
        )
        try:
            _write_atomically(path, _dumps(minimal, ensure_ascii=False).encode("utf-8"))
            return False
        except BaseException as error:  # noqa: BLE001
            note("could not write a minimal result (%s)" % type(error).__name__)
    return False
