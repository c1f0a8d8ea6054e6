"""Skriptoteket's hostile test tool: every form value `mode` attacks the sandbox in one way
(src/execution/hostile.test.ts). Each mode reports what the sandbox let it do, so the test can assert
that the attack was contained rather than only that the run ended.

  forkbomb        every process forks until refused (pids limit) for 3 s; the root reports how often
  memory          allocates memory until the sandbox kills it
  loop            spins forever (timeout)
  network         a TCP connect and a DNS lookup; reports the exceptions
  write_root      writes /pwned (read-only root) and raises ToolUserError with the errno
  stdout_flood    50 MB to stdout
  many_files      10,000 files in output/
  symlink         output/passwd.txt -> /etc/passwd, plus one ordinary file
  escape          writes output/../../x, output/../x and output/../input/x; reports what happened
  huge_result     replaces the harness's result.json with ~100 MB of garbage
  garbage_result  replaces the harness's result.json with text that is not JSON
  close_stdout    closes fd 1 and 2, sleeps 2 s, returns
  daemon          forks a setsid daemon that sleeps for an hour (keeping stdout/stderr open), returns
"""
import errno
import json
import os
import socket
import sys
import time

from skriptoteket_toolkit import read_inputs
from tool_errors import ToolUserError


def notice(message):
    return {"outputs": [{"kind": "notice", "level": "info", "message": message}]}


def fork_bomb():
    root = os.getpid()
    deadline = time.time() + 3
    forked = refused = 0
    while time.time() < deadline:
        try:
            pid = os.fork()
        except OSError:
            refused += 1
            time.sleep(0.01)
            continue
        if pid == 0:
            forked = refused = 0  # a child forks on, counting its own
        else:
            forked += 1
    if os.getpid() != root:
        os._exit(0)
    return notice("forked=%d refused=%d" % (forked, refused))


def block_result_json():
    """The harness writes result.json.tmp-<its pid> and renames it over result.json; a directory in
    that place makes both its writes fail, so the file the script left is what the server reads."""
    os.mkdir("/work/result.json.tmp-%d" % os.getpid())


def errname(error):
    return errno.errorcode.get(error.errno, str(error.errno)) if isinstance(error, OSError) and error.errno else type(error).__name__


def run_tool(input_dir, output_dir):
    mode = read_inputs().get("mode")
    if mode == "forkbomb":
        return fork_bomb()
    if mode == "memory":
        hog = []
        while True:
            hog.append(bytearray(32 * 1024 * 1024))
    if mode == "loop":
        while True:
            pass
    if mode == "network":
        report = {}
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=3).close()
            report["tcp"] = "connected"
        except Exception as error:  # noqa: BLE001
            report["tcp"] = "%s: %s" % (type(error).__name__, error)
        try:
            report["dns"] = "resolved %s" % socket.getaddrinfo("example.com", 80)[0][4][0]
        except Exception as error:  # noqa: BLE001
            report["dns"] = "%s: %s" % (type(error).__name__, error)
        return {"outputs": [{"kind": "json", "title": "network", "value": report}]}
    if mode == "write_root":
        try:
            with open("/pwned", "w") as handle:
                handle.write("owned")
        except OSError as error:
            raise ToolUserError("write to / refused: %s" % errname(error))
        return notice("write to / succeeded")
    if mode == "stdout_flood":
        chunk = b"x" * (1024 * 1024 - 1) + b"\n"
        for _ in range(50):
            sys.stdout.buffer.write(chunk)
        return notice("flooded")
    if mode == "many_files":
        # empty files, made as cheaply as Python can: the attack is their number, and the run must
        # stay well inside the test's short timeout
        for n in range(10000):
            os.close(os.open(os.path.join(output_dir, "f%05d.txt" % n), os.O_CREAT | os.O_WRONLY, 0o644))
        return notice("wrote 10000 files")
    if mode == "symlink":
        with open(os.path.join(output_dir, "ok.txt"), "w") as handle:
            handle.write("ordinary\n")
        os.symlink("/etc/passwd", os.path.join(output_dir, "passwd.txt"))
        return notice("linked")
    if mode == "escape":
        report = {}
        with open(os.path.join(output_dir, "ok.txt"), "w") as handle:
            handle.write("ordinary\n")
        for name in ("../../x", "../x", "../input/x"):
            try:
                with open(os.path.join(output_dir, name), "w") as handle:
                    handle.write("escaped\n")
                report[name] = "written"
            except OSError as error:
                report[name] = errname(error)
        return {"outputs": [{"kind": "json", "title": "escape", "value": report}]}
    if mode == "huge_result":
        chunk = b"A" * (1024 * 1024)
        written = 0
        try:
            with open("/work/result.json", "wb") as handle:
                for _ in range(100):
                    handle.write(chunk)
                    written += len(chunk)
        except OSError:
            pass  # the sandbox's file size limit may stop it before 100 MB
        block_result_json()
        return notice("result.json replaced (%d bytes)" % written)
    if mode == "garbage_result":
        with open("/work/result.json", "w") as handle:
            handle.write("this is not { json")
        block_result_json()
        return notice("result.json replaced")
    if mode == "close_stdout":
        os.close(1)
        os.close(2)
        time.sleep(2)
        return notice("slept with stdout closed")
    if mode == "daemon":
        if os.fork() == 0:
            os.setsid()
            time.sleep(3600)
            os._exit(0)
        return notice("daemon started")
    raise ToolUserError("unknown mode %r" % mode)
