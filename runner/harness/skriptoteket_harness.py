"""The runner image's entry point: runs one tool script and writes /work/result.json.

    python3 /opt/skriptoteket/skriptoteket_harness.py     (the image's CMD)

Reads the environment of tool contract v2 (section 2), imports the script, calls its entrypoint as
`fn(input_dir, output_dir)`, turns the return value into outputs/next_actions/state, lists the
artifacts and writes the result (section 3). It ALWAYS exits 0: success or failure of the tool is
in result.json. The script's own stdout and stderr pass straight through; the harness adds only
tracebacks and lines starting with "skriptoteket: " on stderr. Timeouts are the server's business:
it kills the container and records `timed_out` itself.

Wait mode (the server's warm pool, src/execution/warm-pool-driver.ts): with SKRIPTOTEKET_WAIT_FOR_JOB=1
the harness is started before there is a run. It imports exactly what it always imports, then blocks
reading ONE line from stdin: `{"env": {...}}`, the run's environment (tool contract section 2). It puts
that into os.environ, points stdin at /dev/null (as in a fresh container) and carries on exactly as
above. Stdin closed without a job (the server went away or dropped the slot): exit 75, no result.
"""

from __future__ import annotations

# Start-up cost matters: every run is a fresh process, and what the harness imports before the script is
# paid on every run. So: no dataclasses, no typing at run time (the annotations stay strings thanks to
# the __future__ import), traceback only on the error path, and the script loaded with importlib's
# bootstrap functions instead of importlib.util (which pulls in contextlib, functools and collections).
import json
import os
import sys
from importlib._bootstrap import module_from_spec
from importlib._bootstrap_external import spec_from_file_location

from harness_coerce import ReturnValueError, contract_fields
from harness_result import build_result, collect_artifacts, note, write_result
from tool_errors import DEFAULT_MESSAGE as TOOL_USER_ERROR_DEFAULT

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers treat it as True)
if TYPE_CHECKING:
    from types import ModuleType, TracebackType
    from typing import Any, Callable, Dict, List, Mapping, MutableMapping, Optional

# The original Skriptoteket loaded scripts under this module name; `if __name__ == "__main__":`
# blocks in a script therefore never run.
SCRIPT_MODULE_NAME = "tool_script"

# Wait mode (see the module docstring). The server knows these values and the "no job received" note
# (src/execution/warm-pool-slots.ts).
WAIT_FOR_JOB_ENV = "SKRIPTOTEKET_WAIT_FOR_JOB"
NO_JOB_EXIT_CODE = 75  # EX_TEMPFAIL: nothing ran; the server may give the run to another container
MAX_JOB_BYTES = 64 * 1024 * 1024


class HarnessConfig:
    """The run's paths and entrypoint (a plain class: dataclasses costs ≈6 ms of imports)."""

    __slots__ = ("script_path", "entrypoint", "input_dir", "output_dir", "result_path")

    def __init__(self, script_path: str, entrypoint: str, input_dir: str, output_dir: str, result_path: str) -> None:
        self.script_path = script_path
        self.entrypoint = entrypoint
        self.input_dir = input_dir
        self.output_dir = output_dir
        self.result_path = result_path


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
    # The same two functions importlib.util re-exports (spec_from_file_location, module_from_spec), taken
    # from the bootstrap modules that every interpreter has loaded already: the script gets the very same
    # module object (__spec__, __loader__, __file__, __cached__) as with importlib.util.
    spec = spec_from_file_location(SCRIPT_MODULE_NAME, script_path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load the tool script from %s" % script_path)
    module = module_from_spec(spec)
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
        # imported here, on the error path only: traceback → linecache → tokenize → re costs ≈5 ms
        import traceback

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


class JobError(Exception):
    """The job line from the server is not what wait mode expects."""


def receive_job(environ: MutableMapping[str, str], fd: int = 0) -> bool:
    """Wait mode: blocks for the job line on `fd` and applies it; False when the stream ends first."""
    chunks: List[bytes] = []
    size = 0
    while True:
        # os.read, not sys.stdin: nothing may stay buffered in the sys.stdin the script gets
        chunk = os.read(fd, 65536)
        if not chunk:
            return False
        newline = chunk.find(b"\n")
        chunks.append(chunk if newline < 0 else chunk[:newline])
        size += len(chunk)
        if newline >= 0:
            break
        if size > MAX_JOB_BYTES:
            raise JobError("the job line is longer than %d bytes" % MAX_JOB_BYTES)
    job = json.loads(b"".join(chunks).decode("utf-8"))
    env = job.get("env") if isinstance(job, dict) else None
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise JobError("the job line has no {\"env\": {name: text}} object")
    del environ[WAIT_FOR_JOB_ENV]
    environ.update(env)
    # the script's stdin, as in a fresh container: /dev/null rather than the server's still open pipe
    devnull = os.open(os.devnull, os.O_RDONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    return True


def _fail_without_running(why: str) -> None:
    note(why)
    try:
        config = config_from_env(dict(os.environ))
    except Exception:  # noqa: BLE001
        config = HarnessConfig("/work/script.py", "run_tool", "/work/input", "/work/output", "/work/result.json")
    write_result(config.result_path, build_result("failed", "Tool execution failed (harness error).", [], [], None, []))


def main() -> int:
    """Runs the script once (after waiting for the job in wait mode); returns the process's exit code."""
    if os.environ.get(WAIT_FOR_JOB_ENV) == "1":
        try:
            if not receive_job(os.environ):
                note("no job received; exiting")
                return NO_JOB_EXIT_CODE
        except Exception as error:  # noqa: BLE001 - a server bug, but the run still gets a result
            _fail_without_running("bad job line (%s: %s)" % (type(error).__name__, error))
            return 0
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
    exit_code = 0
    try:
        exit_code = main()
    finally:
        _restore_stdio()
        # os._exit, not sys.exit: threads the script left running or a failing atexit hook must not
        # keep the container alive or change the exit code once the result is written.
        os._exit(exit_code)
