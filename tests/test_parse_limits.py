"""Parsing that can always be stopped: libcst's native parser holds the GIL and takes minutes
or gigabytes on some inputs. Each of them must become IDL903 on time, within the memory
limit, without stopping the scan of the file beside it; signals must end the run at once and
no worker may outlive its parent. Sizes are small: the growth is the point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import idlint
from idlint.api import scan
from idlint.config import Config

LEAK = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
    "    return JsonResponse({'id': m.id})\n"
)
LEAK_FINDING = ("a_leak.py", "IDL001")

# Each takes three seconds or more to parse on a fast machine, and grows faster than its
# size: at ten times the size each runs for minutes and takes gigabytes.
HOSTILE = {
    "unary_minus": "x = " + "-" * 3000 + "1\n",
    "not_chain": "x = " + "not " * 5000 + "1\n",
    "plus_chain": "x = " + "a+" * 3000 + "a\n",
    "attribute_chain": "x = a" + ".b" * 3000 + "\n",
    "call_chain": "x = f" + "()" * 3000 + "\n",
    "conditional_chain": "x = " + "1 if a else " * 3000 + "2\n",
    "lambda_chain": "x = " + "lambda: " * 3000 + "1\n",
}
TIMEOUT = 0.5
TIMEOUT_REASON = (f"internal error: analysis took longer than {TIMEOUT:g} s (file-timeout); "
                  "the file was skipped")


def _project(root: Path, name: str, text: str) -> None:
    (root / "a_leak.py").write_text(LEAK, encoding="utf-8")
    (root / f"{name}.py").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_parser_hang_becomes_idl903_on_time(tmp_path: Path, name: str) -> None:
    _project(tmp_path, name, HOSTILE[name])
    started = time.monotonic()
    report = scan([tmp_path], Config(root=tmp_path, file_timeout=TIMEOUT), jobs=2,
                  use_cache=False)
    elapsed = time.monotonic() - started
    assert [(f.location.path, f.code) for f in report.findings] == [
        LEAK_FINDING, (f"{name}.py", "IDL903")]
    assert [(f.path, f.reason) for f in report.failures] == [(f"{name}.py", TIMEOUT_REASON)]
    assert elapsed < 2.5, f"the scan took {elapsed:.1f} s"


def test_a_parser_hang_is_stopped_in_a_one_file_scan(tmp_path: Path) -> None:
    # Small scans (a pre-commit run) parse in a worker too: the limit holds for them.
    _project(tmp_path, "hostile", HOSTILE["unary_minus"])
    started = time.monotonic()
    report = scan([tmp_path / "hostile.py"], Config(root=tmp_path, file_timeout=TIMEOUT),
                  jobs=1, use_cache=False)
    assert time.monotonic() - started < 2.5
    assert [(f.location.path, f.code) for f in report.findings] == [("hostile.py", "IDL903")]


def test_the_file_sent_ahead_of_a_hang_is_still_analysed(tmp_path: Path) -> None:
    # One worker: while it parses the hanging file, the next file already waits in its pipe.
    # The worker is killed at the time limit; the waiting file goes to its replacement.
    (tmp_path / "a_hang.py").write_text(HOSTILE["unary_minus"], encoding="utf-8")
    (tmp_path / "a_leak.py").write_text(LEAK, encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, file_timeout=TIMEOUT), jobs=1,
                  use_cache=False)
    assert [(f.location.path, f.code, f.location.line) for f in report.findings] == [
        ("a_hang.py", "IDL903", 1), ("a_leak.py", "IDL001", 7)]
    assert [(f.path, f.reason) for f in report.failures] == [("a_hang.py", TIMEOUT_REASON)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux's")
@pytest.mark.parametrize(("name", "text"), [
    ("unary_minus", HOSTILE["unary_minus"]),  # about 500 MiB
    ("large_file", "x = 1\n" * 100_000),  # 600 kB of source, about 900 MiB to parse
])
def test_a_file_over_the_memory_limit_becomes_idl903(tmp_path: Path, name: str,
                                                     text: str) -> None:
    _project(tmp_path, name, text)
    report = scan([tmp_path], Config(root=tmp_path, file_memory_limit=64), jobs=1,
                  use_cache=False)
    assert [(f.location.path, f.code) for f in report.findings] == [
        LEAK_FINDING, (f"{name}.py", "IDL903")]
    assert [(f.path, f.reason) for f in report.failures] == [(
        f"{name}.py", "internal error: the analysis of this file ran out of memory (64 MiB, "
                      "file-memory-limit) or crashed; the file was skipped")]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(idlint.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


def _processes_naming(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


def _start_long_scan(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    project = tmp_path / "project"
    project.mkdir()
    # minutes to parse, with no limit that would stop it first
    _project(project, "hostile", "x = " + "-" * 9000 + "1\n")
    (project / "pyproject.toml").write_text(
        "[tool.idlint]\nfile-timeout = 600\nfile-memory-limit = 65536\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "idlint", "check", str(project), "--no-cache", *extra],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)  # the worker is now deep in the native parser
    assert proc.poll() is None, proc.communicate()
    return proc, str(project)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, /proc")
@pytest.mark.parametrize(("sig", "code", "message"), [
    (signal.SIGINT, 130, "idlint: interrupted"),
    (signal.SIGTERM, 143, "idlint: terminated"),
])
def test_a_signal_ends_the_run_while_a_file_is_being_parsed(tmp_path: Path, sig: int,
                                                             code: int, message: str) -> None:
    proc, marker = _start_long_scan(tmp_path)
    sent = time.monotonic()
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 2.0
    assert proc.returncode == code
    assert stderr.strip() == message
    time.sleep(0.2)
    assert _processes_naming(marker) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl, /proc")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    proc, marker = _start_long_scan(tmp_path)
    assert len(_processes_naming(marker)) >= 2  # the parent and its workers
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 2.0
    while _processes_naming(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_naming(marker) == []


def test_the_process_never_aborts_at_exit(tmp_path: Path) -> None:
    # A parse abandoned on a thread used to end the process with SIGABRT (134) at exit,
    # even with --exit-zero.
    _project(tmp_path, "hostile", HOSTILE["unary_minus"])
    (tmp_path / "pyproject.toml").write_text("[tool.idlint]\nfile-timeout = 0.5\n",
                                             encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "idlint", "check", ".", "--no-cache", "--exit-zero",
         "--format", "json"],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert '"code": "IDL903"' in proc.stdout


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin",
                    reason="the recording function reaches the workers by fork")
def test_findings_are_located_by_the_workers_that_parsed_the_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Locating a finding's nodes parses its file again; a worker started for it would import
    # the parser again too, late in the run: the parse workers do it, then end with the scan.
    from idlint import api

    project = tmp_path / "project"
    project.mkdir()
    _project(project, "other", "def f():\n    return 1\n")
    served = tmp_path / "served.txt"
    work = api._work

    def recording(item: tuple) -> bytes:
        with served.open("a", encoding="utf-8") as fh:
            fh.write(f"{item[0]} {os.getpid()}\n")
        return work(item)

    monkeypatch.setattr(api, "_work", recording)
    report = scan([project], Config(root=project), jobs=2, use_cache=False)
    assert [(f.location.path, f.location.line, f.code) for f in report.findings] == [
        ("a_leak.py", 7, "IDL001")]
    kinds: dict[str, set[str]] = {}
    for line in served.read_text(encoding="utf-8").splitlines():
        kind, pid = line.split()
        kinds.setdefault(kind, set()).add(pid)
    assert set(kinds) == {"parse", "locate"}
    assert kinds["locate"] <= kinds["parse"]
    for pid in kinds["parse"]:  # the workers ended with the scan
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_a_cold_scan_starts_its_workers_before_it_finds_the_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Starting a worker imports the parser (a quarter of a second): on a first run it
    # overlaps finding and reading the files; a warm run, which may parse nothing, does not
    # start any before it knows what changed.
    from idlint import api
    from idlint.workers import Workers

    project = tmp_path / "project"
    project.mkdir()
    _project(project, "other", "def f():\n    return 1\n")
    events: list[tuple] = []
    start, discover = Workers.start, api.discover

    def recording_start(self: Workers, count: int) -> None:
        events.append(("start", count))
        start(self, count)

    def recording_discover(*args: object, **kwargs: object) -> list:
        events.append(("discover",))
        return discover(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workers, "start", recording_start)
    monkeypatch.setattr(api, "discover", recording_discover)
    config = Config(root=project, cache_dir=tmp_path / "cache")
    first = scan([project], config, jobs=2)
    assert events[:2] == [("start", 2), ("discover",)]
    events.clear()
    scan([project / "other.py"], Config(root=project), jobs=2, use_cache=False)
    assert events[:2] == [("start", 1), ("discover",)]  # one named file: one worker
    events.clear()
    (project / "other.py").write_text("def f():\n    return 2\n", encoding="utf-8")
    again = scan([project], config, jobs=2)
    assert ("start", 2) not in events
    assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in first.findings]
