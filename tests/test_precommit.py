"""The pre-commit hook, run by real pre-commit against a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LEAK = """from django.db import models
from django.http import JsonResponse


class Member(models.Model):
    nickname = models.CharField(max_length=40)


def me(request):
    m = Member.objects.get(nickname="x")
    return JsonResponse({"id": m.id})
"""

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs git and a git checkout of idlint",
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def try_repo(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "idlint", "--all-files"],
        cwd=cwd, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"},
    )


def test_hook_fails_on_a_leak_and_passes_once_fixed(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    (work / "views.py").write_text(LEAK)
    git(work, "add", "views.py")
    git(work, "commit", "-q", "-m", "leak")
    home = tmp_path / "pre-commit-home"

    failed = try_repo(work, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "views.py:11:32 IDL001 [serial-exposed]" in failed.stdout

    (work / "views.py").write_text(LEAK.replace('"id": m.id', '"nick": m.nickname'))
    git(work, "commit", "-q", "-am", "fix")
    passed = try_repo(work, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
