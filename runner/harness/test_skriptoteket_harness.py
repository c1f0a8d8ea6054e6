"""The harness end to end: a real python3 process per case, as the image runs it (minus Docker)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from typing import Any, Dict, Tuple

from skriptoteket_harness import config_from_env

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "skriptoteket_harness.py")


class ConfigFromEnvTest(unittest.TestCase):
    def test_defaults_are_the_contracts_container_paths(self) -> None:
        config = config_from_env({})
        self.assertEqual(
            (config.script_path, config.entrypoint, config.input_dir, config.output_dir, config.result_path),
            ("/work/script.py", "run_tool", "/work/input", "/work/output", "/work/result.json"),
        )

    def test_values_are_trimmed_and_blank_means_default(self) -> None:
        config = config_from_env(
            {"SKRIPTOTEKET_ENTRYPOINT": "  main ", "SKRIPTOTEKET_OUTPUT_DIR": "  ", "SKRIPTOTEKET_INPUT_DIR": "/in"}
        )
        self.assertEqual((config.entrypoint, config.output_dir, config.input_dir), ("main", "/work/output", "/in"))

    def test_the_original_runners_input_path_variable_is_understood(self) -> None:
        self.assertEqual(config_from_env({"SKRIPTOTEKET_INPUT_PATH": "/legacy"}).input_dir, "/legacy")


class HarnessRun(unittest.TestCase):
    """Base: a /work-like temp folder, a script, and one harness process per run()."""

    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.work = self._tmp.name
        self.input = os.path.join(self.work, "input")
        self.output = os.path.join(self.work, "output")
        os.mkdir(self.input)
        self.result_path = os.path.join(self.work, "result.json")
        self.env: Dict[str, str] = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "SKRIPTOTEKET_SCRIPT_PATH": os.path.join(self.work, "script.py"),
            "SKRIPTOTEKET_ENTRYPOINT": "run_tool",
            "SKRIPTOTEKET_INPUT_DIR": self.input,
            "SKRIPTOTEKET_OUTPUT_DIR": self.output,
            "SKRIPTOTEKET_RESULT_PATH": self.result_path,
            "SKRIPTOTEKET_INPUTS": "{}",
            "SKRIPTOTEKET_INPUT_MANIFEST": '{"files":[]}',
            "SKRIPTOTEKET_MEMORY_PATH": os.path.join(self.work, "memory.json"),
            "HOME": os.path.join(self.work, "home"),
            "XDG_CACHE_HOME": os.path.join(self.work, "home", ".cache"),
        }

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def run_script(self, source: str, timeout: float = 30) -> "subprocess.CompletedProcess[str]":
        with open(os.path.join(self.work, "script.py"), "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(source))
        return subprocess.run(
            [sys.executable, HARNESS], env=self.env, cwd=self.work, capture_output=True, text=True, timeout=timeout
        )

    def result(self) -> Dict[str, Any]:
        with open(self.result_path, "rb") as handle:
            result = json.loads(handle.read().decode("utf-8"))
        self.assertEqual(
            sorted(result),
            ["artifacts", "contract_version", "error_summary", "next_actions", "outputs", "state", "status"],
        )
        self.assertEqual(result["contract_version"], 2)
        return result


class SucceededRunsTest(HarnessRun):
    def test_a_legacy_string_return_is_one_html_output_and_prints_pass_through(self) -> None:
        done = self.run_script(
            """
            import sys
            print("hello from the script")
            print("to stderr", file=sys.stderr)
            def run_tool(input_dir, output_dir):
                return "<p>Hej</p>"
            """
        )
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout, "hello from the script\n")
        self.assertEqual(done.stderr, "to stderr\n")
        result = self.result()
        self.assertEqual(result["status"], "succeeded")
        self.assertIsNone(result["error_summary"])
        self.assertEqual(result["outputs"], [{"kind": "html_sandboxed", "html": "<p>Hej</p>"}])
        self.assertEqual((result["next_actions"], result["state"], result["artifacts"]), ([], None, []))

    def test_a_dict_return_with_toolkit_input_plumbing_and_artifacts(self) -> None:
        with open(os.path.join(self.input, "elever.csv"), "w", encoding="utf-8") as handle:
            handle.write("namn\nAda\nBo\n")
        self.env["SKRIPTOTEKET_INPUTS"] = '{"rubrik":"Klass 7B"}'
        self.env["SKRIPTOTEKET_INPUT_MANIFEST"] = json.dumps(
            {"files": [{"name": "elever.csv", "path": os.path.join(self.input, "elever.csv"), "bytes": 12}]}
        )
        self.env["SKRIPTOTEKET_ACTION"] = '{"action_id":"nasta","input":{"note":"n"},"state":{"step":1}}'
        with open(self.env["SKRIPTOTEKET_MEMORY_PATH"], "w", encoding="utf-8") as handle:
            handle.write('{"settings":{"skola":"Åsa"}}')
        self.run_script(
            """
            import os
            from pathlib import Path
            from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_settings

            def run_tool(input_dir, output_dir):
                action_id, action_input, state = get_action_parts()
                names = Path(list_input_files()[0]["path"]).read_text(encoding="utf-8").split()[1:]
                Path(output_dir, "sub").mkdir()
                Path(output_dir, "sub", "namn.txt").write_text("\\n".join(names), encoding="utf-8")
                Path(output_dir, "tom.txt").touch()
                return {
                    "outputs": [
                        {"kind": "markdown", "markdown": read_inputs().get("rubrik", "-")},
                        {"kind": "table", "columns": [{"key": "n", "label": "Namn"}], "rows": tuple({"n": n} for n in names)},
                    ],
                    "next_actions": [{"action_id": action_id, "label": "Igen", "kind": "form", "fields": []}],
                    "state": {"step": state["step"] + 1, "note": action_input["note"], "skola": read_settings()["skola"],
                              "dirs": [input_dir, output_dir]},
                }
            """
        )
        result = self.result()
        self.assertEqual(result["status"], "succeeded", result)
        self.assertEqual(result["outputs"][0], {"kind": "markdown", "markdown": "Klass 7B"})
        self.assertEqual(result["outputs"][1]["rows"], [{"n": "Ada"}, {"n": "Bo"}])
        self.assertEqual(result["next_actions"][0]["action_id"], "nasta")
        self.assertEqual(
            result["state"], {"step": 2, "note": "n", "skola": "Åsa", "dirs": [self.input, self.output]}
        )
        self.assertEqual(
            result["artifacts"], [{"path": "output/sub/namn.txt", "bytes": 6}, {"path": "output/tom.txt", "bytes": 0}]
        )

    def test_a_custom_entrypoint_and_a_missing_output_folder(self) -> None:
        self.env["SKRIPTOTEKET_ENTRYPOINT"] = "skapa"
        self.run_script(
            """
            def run_tool(input_dir, output_dir):
                raise AssertionError("the default entrypoint must not be called")
            def skapa(input_dir, output_dir):
                import os
                return {"outputs": [{"kind": "notice", "level": "info", "message": str(os.path.isdir(output_dir))}]}
            """
        )
        self.assertEqual(self.result()["outputs"][0]["message"], "True")

    def test_script_module_is_registered_for_dataclasses_and_main_blocks_do_not_run(self) -> None:
        done = self.run_script(
            """
            from __future__ import annotations
            import dataclasses
            @dataclasses.dataclass
            class Row:
                name: str
                score: dataclasses.InitVar[int] = 0
            def run_tool(input_dir, output_dir):
                return {"state": {"row": dataclasses.asdict(Row("Ada")), "module": __name__}}
            if __name__ == "__main__":
                print("main block ran")
            """
        )
        self.assertEqual(self.result()["state"], {"row": {"name": "Ada"}, "module": "tool_script"})
        self.assertNotIn("main block ran", done.stdout)

    def test_the_script_module_looks_as_importlib_util_would_make_it(self) -> None:
        self.run_script(
            """
            import importlib.machinery, sys
            def run_tool(input_dir, output_dir):
                me = sys.modules[__name__]
                return {"state": {
                    "file": __file__, "package": __package__, "spec": [__spec__.name, __spec__.origin, __spec__.has_location],
                    "loader": type(__loader__).__name__, "same_loader": __spec__.loader is __loader__,
                    "cached": __cached__, "registered": me is sys.modules["tool_script"],
                    "source_loader": isinstance(__loader__, importlib.machinery.SourceFileLoader),
                }}
            """
        )
        script = self.env["SKRIPTOTEKET_SCRIPT_PATH"]
        import importlib.util  # the reference: what the harness did before it stopped importing importlib.util

        reference = importlib.util.spec_from_file_location("tool_script", script)
        assert reference is not None
        self.assertEqual(
            self.result()["state"],
            {
                "file": script,
                "package": "",
                "spec": ["tool_script", script, True],
                "loader": "SourceFileLoader",
                "same_loader": True,
                "cached": reference.cached,
                "registered": True,
                "source_loader": True,
            },
        )

    def test_the_harness_imports_nothing_heavy_before_the_script(self) -> None:
        # What a bare interpreter has loaded differs per host (site, .pth files): compare against it.
        probe = "import json, sys; print(json.dumps(sorted(sys.modules)))"
        bare = subprocess.run([sys.executable, "-c", probe], env=self.env, capture_output=True, text=True, check=True)
        self.run_script(
            """
            import sys
            LOADED = sorted(sys.modules)
            def run_tool(input_dir, output_dir):
                return {"state": {"loaded": LOADED}}
            """
        )
        added = set(self.result()["state"]["loaded"]) - set(json.loads(bare.stdout))
        heavy = {"typing", "dataclasses", "traceback", "linecache", "tokenize", "inspect", "importlib.util", "contextlib"}
        self.assertEqual(added & heavy, set())

    def test_home_and_cache_folders_are_created(self) -> None:
        self.run_script("def run_tool(i, o):\n    return ''\n")
        self.assertTrue(os.path.isdir(self.env["XDG_CACHE_HOME"]))

    def test_left_running_threads_do_not_keep_the_process_alive(self) -> None:
        started = time.monotonic()
        done = self.run_script(
            """
            import threading, time
            def run_tool(input_dir, output_dir):
                threading.Thread(target=time.sleep, args=(60,)).start()  # not a daemon
                return "<p>klar</p>"
            """
        )
        self.assertLess(time.monotonic() - started, 20)
        self.assertEqual(done.returncode, 0)
        self.assertEqual(self.result()["status"], "succeeded")

    def test_a_script_that_changes_folder_environment_and_stdio_still_gets_its_result(self) -> None:
        done = self.run_script(
            """
            import io, os, sys
            def run_tool(input_dir, output_dir):
                os.chdir("/")
                os.environ.clear()
                sys.stdout = io.StringIO()
                sys.stderr = io.StringIO()
                return {"outputs": [{"kind": "notice", "level": "info", "message": "ok"}]}
            """
        )
        self.assertEqual(done.returncode, 0)
        self.assertEqual(self.result()["status"], "succeeded")


class FailedRunsTest(HarnessRun):
    def failed(self, source: str) -> "Tuple[Dict[str, Any], subprocess.CompletedProcess[str]]":
        done = self.run_script(source)
        self.assertEqual(done.returncode, 0, done.stderr)  # always 0: the outcome is in result.json
        result = self.result()
        self.assertEqual(result["status"], "failed")
        self.assertEqual((result["outputs"], result["next_actions"], result["state"]), ([], [], None))
        return result, done

    def test_tool_user_error_shows_its_message_without_traceback_and_keeps_artifacts(self) -> None:
        result, done = self.failed(
            """
            from pathlib import Path
            from tool_errors import ToolUserError
            def run_tool(input_dir, output_dir):
                Path(output_dir, "partial.txt").write_text("halvvägs")
                raise ToolUserError("Filen saknar kolumnen 'Namn'.")
            """
        )
        self.assertEqual(result["error_summary"], "Filen saknar kolumnen 'Namn'.")
        self.assertEqual(result["artifacts"], [{"path": "output/partial.txt", "bytes": 9}])
        self.assertNotIn("Traceback", done.stderr)
        self.assertIn("ToolUserError: Filen saknar kolumnen 'Namn'.", done.stderr)

    def test_a_scripts_own_tool_user_error_class_counts_too(self) -> None:
        result, _ = self.failed(
            """
            class ToolUserError(Exception):
                pass
            def run_tool(input_dir, output_dir):
                raise ToolUserError("  Välj en klass.  ")
            """
        )
        self.assertEqual(result["error_summary"], "Välj en klass.")

    def test_a_long_user_message_is_cut_at_20000_bytes(self) -> None:
        result, _ = self.failed(
            """
            from tool_errors import ToolUserError
            def run_tool(input_dir, output_dir):
                raise ToolUserError("ö" * 30000)
            """
        )
        self.assertEqual(result["error_summary"], "ö" * 10_000)

    def test_other_exceptions_give_the_type_and_a_traceback_from_the_script(self) -> None:
        result, done = self.failed(
            """
            def helper():
                return 1 / 0
            def run_tool(input_dir, output_dir):
                return helper()
            """
        )
        self.assertEqual(result["error_summary"], "Tool execution failed (ZeroDivisionError).")
        self.assertIn("Traceback (most recent call last):", done.stderr)
        self.assertIn("script.py\", line 3, in helper", done.stderr)
        self.assertIn("ZeroDivisionError: division by zero", done.stderr)
        self.assertNotIn("skriptoteket_harness.py", done.stderr)  # harness frames trimmed

    def test_errors_while_importing_the_script(self) -> None:
        result, _ = self.failed("import no_such_module_here\n")
        self.assertEqual(result["error_summary"], "Tool execution failed (ModuleNotFoundError).")
        result, done = self.failed("def run_tool(:\n")
        self.assertEqual(result["error_summary"], "Tool execution failed (SyntaxError).")
        self.assertIn("SyntaxError", done.stderr)

    def test_a_missing_script_file(self) -> None:
        self.env["SKRIPTOTEKET_SCRIPT_PATH"] = os.path.join(self.work, "gone.py")
        result, _ = self.failed("")
        self.assertEqual(result["error_summary"], "Tool execution failed (FileNotFoundError).")

    def test_a_missing_or_uncallable_entrypoint(self) -> None:
        result, _ = self.failed("def main(i, o):\n    return ''\n")
        self.assertEqual(result["error_summary"], "Tool execution failed (no function 'run_tool' in the script).")
        result, _ = self.failed("run_tool = 'not a function'\n")
        self.assertEqual(result["error_summary"], "Tool execution failed ('run_tool' in the script is not a function).")

    def test_a_return_value_that_is_neither_str_nor_dict(self) -> None:
        for returned, type_name in (("42", "int"), ("None", "NoneType"), ("['<p>']", "list")):
            result, _ = self.failed("def run_tool(i, o):\n    return %s\n" % returned)
            self.assertEqual(
                result["error_summary"],
                "Tool execution failed (the entrypoint must return a str (HTML) or a dict with "
                "outputs/next_actions/state, not %s)." % type_name,
            )

    def test_sys_exit_in_the_script_fails_the_run_but_the_process_exits_0(self) -> None:
        result, _ = self.failed("import sys\ndef run_tool(i, o):\n    sys.exit(3)\n")
        self.assertEqual(result["error_summary"], "Tool execution failed (SystemExit).")

    def test_an_unwritable_result_path_still_exits_0(self) -> None:
        self.env["SKRIPTOTEKET_RESULT_PATH"] = os.path.join(self.work, "missing-folder", "result.json")
        done = self.run_script("def run_tool(i, o):\n    return ''\n")
        self.assertEqual(done.returncode, 0)
        self.assertIn("skriptoteket: could not write", done.stderr)


class WaitModeTest(HarnessRun):
    """The warm pool's wait mode: started before the run, the environment comes as one line on stdin."""

    LOADED_MODULES_SCRIPT = """
        import json, os, sys
        LOADED = sorted(sys.modules)
        def run_tool(input_dir, output_dir):
            return {"state": {"loaded": LOADED, "stdin": sys.stdin.read(), "wait": os.environ.get("SKRIPTOTEKET_WAIT_FOR_JOB"),
                              "inputs": os.environ["SKRIPTOTEKET_INPUTS"], "home_made": os.path.isdir(os.environ["XDG_CACHE_HOME"])}}
        """

    def start_waiting(self, source: str, **extra_env: str) -> "subprocess.Popen[bytes]":
        with open(os.path.join(self.work, "script.py"), "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(source))
        # what a pool container has at start (HOME too: site reads it at start-up, so the pool sets the
        # run's value up front); the run's other variables come with the job
        env = {name: self.env[name] for name in ("PATH", "PYTHONDONTWRITEBYTECODE", "HOME", "XDG_CACHE_HOME")}
        env.update(SKRIPTOTEKET_WAIT_FOR_JOB="1", **extra_env)
        return subprocess.Popen(
            [sys.executable, HARNESS], env=env, cwd=self.work, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def send(self, process: "subprocess.Popen[bytes]", data: bytes, close: bool = False) -> Tuple[int, str, str]:
        assert process.stdin is not None
        process.stdin.write(data)
        process.stdin.flush()
        if close:
            process.stdin.close()
        # the pipe stays open otherwise, as the server's attach does while the run goes on
        out, err = self._wait(process)
        return process.returncode, out.decode(), err.decode()

    @staticmethod
    def _wait(process: "subprocess.Popen[bytes]") -> Tuple[bytes, bytes]:
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        process.wait(timeout=30)
        out, err = process.stdout.read(), process.stderr.read()
        for pipe in (process.stdin, process.stdout, process.stderr):
            pipe.close()
        return out, err

    def test_the_job_line_sets_the_environment_and_the_run_is_the_same_as_a_fresh_start(self) -> None:
        self.env["SKRIPTOTEKET_INPUTS"] = '{"klass":"7B"}'
        cold = self.run_script(self.LOADED_MODULES_SCRIPT)
        self.assertEqual(cold.returncode, 0, cold.stderr)
        cold_state = self.result()["state"]
        os.unlink(self.result_path)
        os.rmdir(self.env["XDG_CACHE_HOME"])

        process = self.start_waiting(self.LOADED_MODULES_SCRIPT)
        time.sleep(0.3)  # idle in the pool for a while: nothing happens
        self.assertIsNone(process.poll())
        self.assertFalse(os.path.exists(self.result_path))
        job = {"env": {k: v for k, v in self.env.items() if k.startswith("SKRIPTOTEKET_") or k in ("HOME", "XDG_CACHE_HOME")}}
        code, _, err = self.send(process, json.dumps(job).encode() + b"\n")
        self.assertEqual((code, err), (0, ""))
        warm_state = self.result()["state"]
        self.assertEqual(warm_state["inputs"], '{"klass":"7B"}')
        self.assertIsNone(warm_state["wait"])
        self.assertEqual(warm_state["stdin"], "")  # /dev/null, although the server's pipe is still open
        self.assertTrue(warm_state["home_made"])
        # the same modules as after a fresh start: the pool preloads nothing
        self.assertEqual(warm_state["loaded"], cold_state["loaded"])
        self.assertEqual(warm_state, cold_state)

    def test_a_job_line_in_pieces_is_put_together(self) -> None:
        process = self.start_waiting("def run_tool(i, o):\n    return '<p>bitar</p>'\n")
        assert process.stdin is not None
        line = json.dumps({"env": {"SKRIPTOTEKET_RESULT_PATH": self.result_path, "SKRIPTOTEKET_SCRIPT_PATH": self.env["SKRIPTOTEKET_SCRIPT_PATH"],
                                   "SKRIPTOTEKET_OUTPUT_DIR": self.output, "SKRIPTOTEKET_INPUT_DIR": self.input}}).encode() + b"\n"
        for i in range(0, len(line), 7):
            process.stdin.write(line[i : i + 7])
            process.stdin.flush()
            time.sleep(0.002)
        code, _, _ = self.send(process, b"")
        self.assertEqual(code, 0)
        self.assertEqual(self.result()["outputs"], [{"kind": "html_sandboxed", "html": "<p>bitar</p>"}])

    def test_stdin_closed_without_a_job_exits_75_and_writes_nothing(self) -> None:
        process = self.start_waiting("raise AssertionError('must not run')\n")
        code, out, err = self.send(process, b'{"env": {"A": "half a li', close=True)
        self.assertEqual(code, 75)
        self.assertEqual(out, "")
        # exactly this last line: the server tells "never ran" apart by it (warm-pool-slots.ts NO_JOB_NOTE)
        self.assertTrue(err.endswith("skriptoteket: no job received; exiting\n"), err)
        self.assertFalse(os.path.exists(self.result_path))

    def test_a_malformed_job_line_fails_the_run_with_a_result(self) -> None:
        for line in (b"not json\n", b'{"env": {"A": 1}}\n', b'["env"]\n', b'{"env": {"A\\u0000": "x"}}\n'):
            with self.subTest(line=line):
                # where the result goes when there is no job: here, instead of the fixed /work/result.json
                process = self.start_waiting("raise AssertionError('must not run')\n", SKRIPTOTEKET_RESULT_PATH=self.result_path)
                code, _, err = self.send(process, line)
                self.assertEqual(code, 0)
                self.assertIn("skriptoteket: bad job line", err)
                result = self.result()
                self.assertEqual((result["status"], result["error_summary"]), ("failed", "Tool execution failed (harness error)."))
                os.unlink(self.result_path)


if __name__ == "__main__":
    unittest.main()
