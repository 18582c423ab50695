"""An interrupted run (Ctrl-C, or SIGTERM from a cancelled CI job) exits non-zero with one
line on stderr and leaves no partial report, baseline or cache file behind. Cache entries
finished before the signal stay (the next run resumes from them); each is whole."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import idlint
from idlint.analysis.perfile import FileResult
from idlint.cache import Cache
from idlint.keys import load_key

BODY = "".join(
    f"def helper_{i}(request, pk):\n"
    f"    value = compute(pk, {i})\n"
    f"    return {{'result': value, 'n': {i}, 'items': [a for a in range({i})]}}\n\n"
    for i in range(120)
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("sig", "code", "message"), [
    (signal.SIGINT, 130, "idlint: interrupted"),
    (signal.SIGTERM, 143, "idlint: terminated"),
])
def test_interrupted_scan_leaves_nothing_behind(tmp_path: Path, sig: int, code: int,
                                                message: str) -> None:
    project = tmp_path / "project"
    for i in range(1500):
        path = project / f"pkg{i % 30}" / f"mod{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BODY)
    out = tmp_path / "out"
    out.mkdir()
    before = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "idlint", "check", str(project), "--format", "sarif",
         "--output", str(out / "report.sarif"), "--jobs", "2"],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3.0)
    assert proc.poll() is None, "the scan ended before it could be interrupted"
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert stderr.strip() == message
    assert stdout == ""
    after = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    new = after - before
    outside_cache = {p for p in new if p.parts[0] != ".idlint_cache"}
    assert outside_cache == set()
    entries = [tmp_path / p for p in new if p.suffix == ".entry"]
    assert [p for p in new if p.name.endswith(".tmp")] == []
    cache = Cache(tmp_path / ".idlint_cache", load_key(project))
    for entry in entries:
        loaded = cache._load(entry.parent.name, entry.name)
        assert loaded is not None and isinstance(loaded[0], FileResult)


def _env() -> dict[str, str]:
    """Run the idlint the tests import, installed or not."""
    import os

    env = dict(os.environ)
    root = str(Path(idlint.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env
