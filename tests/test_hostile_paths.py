"""Named paths that lead out of the project (a committed symlink to /proc/self/environ or
/etc/passwd, `..`) are reported and never read, so nothing of their content can reach the
report; the files beside them are still scanned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import idlint

LEAK = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
    "    return JsonResponse({'id': m.id})\n"
)
REASON = "not read: the path leads outside the project (through a symlink or '..')"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(idlint.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.idlint]\n", encoding="utf-8")
    (root / "leak.py").write_text(LEAK, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN hunter2 is not python\n", encoding="utf-8")
    os.symlink(secret, root / "settings.py")
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "idlint", "check", "--no-cache", *args],
                          cwd=root, env=_env(), capture_output=True, text=True, timeout=120)


def test_a_named_symlink_out_of_the_project_is_never_read(project: Path) -> None:
    proc = _run(project, "settings.py", "leak.py")
    assert proc.returncode == 1
    assert "hunter2" not in proc.stdout + proc.stderr
    headers = [line for line in proc.stdout.splitlines() if line.startswith(("leak", "sett"))]
    assert headers == [
        "leak.py:7:32 IDL001 [serial-exposed] Serial `Member.id` reaches the client "
        "(JsonResponse body) unprotected (medium severity)",
        f"settings.py:1:1 IDL902 [unreadable-file] File not analysed: {REASON}",
    ]


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_a_symlink_to_the_environment_leaks_nothing(project: Path) -> None:
    os.symlink("/proc/self/environ", project / "env.py")
    proc = _run(project, "--format", "sarif", "env.py", "leak.py")
    assert proc.returncode == 1
    assert "PATH=" not in proc.stdout
    assert f'"text": "IDL902: {REASON}"' in proc.stdout


def test_a_symlink_out_of_the_project_found_by_discovery_is_skipped(project: Path) -> None:
    proc = _run(project, "--format", "json", ".")
    assert proc.returncode == 1
    assert "hunter2" not in proc.stdout
    assert '"path": "settings.py"' not in proc.stdout
    assert '"path": "leak.py"' in proc.stdout


def test_a_named_folder_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "other.py").write_text(LEAK, encoding="utf-8")
    os.symlink(elsewhere, project / "vendor")
    proc = _run(project, "--format", "json", "vendor", "leak.py")
    assert proc.returncode == 1
    assert '"path": "vendor"' in proc.stdout
    assert "other.py" not in proc.stdout


@pytest.mark.parametrize("where", ["gitignore", "exclude"])
def test_a_backtracking_ignore_pattern_does_not_hang_the_scan(project: Path, where: str) -> None:
    # With a backtracking regex engine this pattern against this name runs for hours.
    pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*ab"
    (project / ("a" * 60 + ".py")).write_text("x = 1\n", encoding="utf-8")
    if where == "gitignore":
        (project / ".gitignore").write_text(pattern + "\n", encoding="utf-8")
    else:
        (project / "pyproject.toml").write_text(
            f"[tool.idlint]\nextend-exclude = [{pattern!r}]\n", encoding="utf-8")
    proc = _run(project, "--format", "json", ".")
    assert proc.returncode == 1
    assert '"path": "leak.py"' in proc.stdout


def test_a_file_named_outside_any_project_is_scanned(tmp_path: Path) -> None:
    # No project marker anywhere: the scanned file's own folder is the root, so naming a
    # file outside the working directory is not mistaken for a path that leaves a project.
    (tmp_path / "adhoc").mkdir()
    (tmp_path / "adhoc" / "x.py").write_text(LEAK, encoding="utf-8")
    (tmp_path / "cwd").mkdir()
    proc = _run(tmp_path / "cwd", "--format", "json", str(tmp_path / "adhoc" / "x.py"))
    assert proc.returncode == 1
    assert '"code": "IDL001"' in proc.stdout
    assert "IDL902" not in proc.stdout
