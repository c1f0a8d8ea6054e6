"""The runner image's entry point: runs one tool script and writes /work/result.json.

    python3 /opt/skriptoteket/skriptoteket_harness.py     (the image's CMD)

Reads the environment of tool contract v2 (section 2), imports the script, calls its entrypoint as
`fn(input_dir, output_dir)`, turns the return value into outputs/next_actions/state, lists the
artifacts and writes the result (section 3). It ALWAYS exits 0: success or failure of the tool is
in result.json. The script's own stdout and stderr pass straight through; the harness adds only
tracebacks and lines starting with "skriptoteket: " on stderr. Timeouts are the server's business:
it kills the container and records `timed_out` itself.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any, Callable, Dict, List, Mapping, Optional

from harness_coerce import ReturnValueError, contract_fields
from harness_result import build_result, collect_artifacts, note, write_result
from tool_errors import DEFAULT_MESSAGE as TOOL_USER_ERROR_DEFAULT

# The original Skriptoteket loaded scripts under this module name; `if __name__ == "__main__":`
# blocks in a script therefore never run.
SCRIPT_MODULE_NAME = "tool_script"


@dataclass(frozen=True)
class HarnessConfig:
    script_path: str
    entrypoint: str
    input_dir: str
    output_dir: str
    result_path: str


def config_from_env(env: Mapping[str, str]) -> HarnessConfig:
    """The run's paths and entrypoint; the defaults are the contract's fixed container paths."""

    def path(name: str, default: str) -> str:
        # absolute, because the script may os.chdir() before the harness writes the result
        return os.path.abspath(env.get(name, "").strip() or default)

    return HarnessConfig(
        script_path=path("SKRIPTOTEKET_SCRIPT_PATH", "/work/script.py"),
        entrypoint=env.get("SKRIPTOTEKET_ENTRYPOINT", "").strip() or "run_tool",
        # SKRIPTOTEKET_INPUT_PATH is the name the original Skriptoteket runner read
        input_dir=path("SKRIPTOTEKET_INPUT_DIR", env.get("SKRIPTOTEKET_INPUT_PATH", "") or "/work/input"),
        output_dir=path("SKRIPTOTEKET_OUTPUT_DIR", "/work/output"),
        result_path=path("SKRIPTOTEKET_RESULT_PATH", "/work/result.json"),
    )


class EntrypointError(Exception):
    """The script has no callable with the configured entrypoint name."""


def _prepare_home(env: Mapping[str, str]) -> None:
    # HOME and XDG_CACHE_HOME point into the fresh /tmp tmpfs, where they do not exist yet;
    # fontconfig (WeasyPrint) and other libraries want to write caches there.
    for name in ("HOME", "XDG_CACHE_HOME"):
        folder = env.get(name, "")
        if folder.startswith("/"):
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError:
                pass


def load_script(script_path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(SCRIPT_MODULE_NAME, script_path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load the tool script from %s" % script_path)
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as importlib's recipe does: dataclasses, pickle and
    # typing.get_type_hints look the script's module up in sys.modules.
    sys.modules[SCRIPT_MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


def find_entrypoint(module: ModuleType, name: str) -> Callable[[str, str], object]:
    entrypoint = getattr(module, name, None)
    if entrypoint is None:
        raise EntrypointError("no function '%s' in the script" % name)
    if not callable(entrypoint):
        raise EntrypointError("'%s' in the script is not a function" % name)
    return entrypoint


def _is_tool_user_error(error: BaseException) -> bool:
    # By name, so a script's own fallback class (`except ImportError: class ToolUserError(Exception)`)
    # counts too; the real one comes from tool_errors.
    return any(cls.__name__ == "ToolUserError" for cls in type(error).__mro__)


def _user_message(error: BaseException) -> str:
    message = getattr(error, "safe_message", None)
    if not isinstance(message, str):
        try:
            message = str(error)
        except Exception:
            message = ""
    return message.strip() or TOOL_USER_ERROR_DEFAULT


def _print_traceback(error: BaseException, script_path: str) -> None:
    """The traceback on stderr, starting at the script's first frame so authors see their own code."""
    tb: Optional[TracebackType] = error.__traceback__
    first = tb
    while first is not None and first.tb_frame.f_code.co_filename != script_path:
        first = first.tb_next
    try:
        traceback.print_exception(type(error), error, first or tb, file=sys.stderr)
    except Exception:
        note("%s (traceback unavailable)" % type(error).__name__)


def _restore_stdio() -> None:
    # A script may have swapped sys.stdout/sys.stderr (e.g. contextlib.redirect_stdout left open)
    for name in ("stdout", "stderr"):
        original = getattr(sys, "__%s__" % name)
        if original is not None:
            setattr(sys, name, original)
        try:
            getattr(sys, name).flush()
        except Exception:
            pass


def run(config: HarnessConfig, env: Mapping[str, str]) -> Dict[str, Any]:
    """Runs the tool script once and returns the result to write (never raises)."""
    status = "failed"
    error_summary: Optional[str] = None
    outputs: List[Dict[str, Any]] = []
    next_actions: List[Dict[str, Any]] = []
    state: Optional[Dict[str, Any]] = None
    _prepare_home(env)
    sys.argv = [config.script_path]
    try:
        os.makedirs(config.output_dir, exist_ok=True)
        module = load_script(config.script_path)
        entrypoint = find_entrypoint(module, config.entrypoint)
        returned = entrypoint(config.input_dir, config.output_dir)
        outputs, next_actions, state = contract_fields(returned)
        status = "succeeded"
    except BaseException as error:  # noqa: BLE001 - the boundary: every failure becomes a result
        _restore_stdio()
        if _is_tool_user_error(error):
            error_summary = _user_message(error)
            note("ToolUserError: %s" % error_summary)
        elif isinstance(error, (EntrypointError, ReturnValueError)):
            error_summary = "Tool execution failed (%s)." % error
            note(error_summary)
        else:
            error_summary = "Tool execution failed (%s)." % type(error).__name__
            _print_traceback(error, config.script_path)
    _restore_stdio()
    # Listed also when the run failed: partial outputs are still delivered.
    try:
        artifacts = collect_artifacts(config.output_dir)
    except Exception as error:  # noqa: BLE001
        note("could not list the artifacts (%s)" % type(error).__name__)
        artifacts = []
    return build_result(status, error_summary, outputs, next_actions, state, artifacts)


def main() -> int:
    env = dict(os.environ)  # a copy: the script may change os.environ
    try:
        config = config_from_env(env)
    except Exception as error:  # noqa: BLE001 - e.g. the working folder is gone; use the fixed paths
        note("bad environment (%s); using the default paths" % type(error).__name__)
        config = HarnessConfig("/work/script.py", "run_tool", "/work/input", "/work/output", "/work/result.json")
    try:
        result = run(config, env)
    except BaseException as error:  # noqa: BLE001 - run() should not raise; if it does, still leave a result
        note("harness error (%s)" % type(error).__name__)
        result = build_result("failed", "Tool execution failed (harness error).", [], [], None, [])
    write_result(config.result_path, result)
    return 0


if __name__ == "__main__":
    try:
        main()
    finally:
        _restore_stdio()
        # os._exit, not sys.exit: threads the script left running or a failing atexit hook must not
        # keep the container alive or change the exit code once the result is written.
        os._exit(0)
