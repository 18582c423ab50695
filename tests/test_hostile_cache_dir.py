"""`cache-dir` in the scanned repository's own settings. The repository chooses it, so it may
name the project itself, `src`, `.git`, a folder through a symlink or one outside: the cache
would write `.gitignore` (ignoring everything beside it), CACHEDIR.TAG (backup tools skip the
folder) and its entries there, and prune it. Such a folder is refused with one warning and the
scan goes on without a cache; nothing in the project or outside it changes. A folder the user
names on the command line may be anywhere, but an existing file is never overwritten, and a
folder of other files does not get the cache's markers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from idlint.api import scan
from idlint.cache import open_cache
from idlint.cli import main
from idlint.config import load_config

LEAK = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
    "    return JsonResponse({'id': m.id})\n"
)
EXPECTED = [("src/leak.py", 7, 32, "IDL001")]
OUTSIDE = ("a cache folder outside the project can only be set on the command line "
           "(--cache-dir) or with the environment variable IDLINT_CACHE_DIR")
FOREIGN = "which is not the cache's: the cache needs a folder of its own (a new or empty one)"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with its code in src/, a .git folder (a real repository when git is there),
    a symlink to src/, and a folder beside the project standing for the user's other files."""
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "leak.py").write_text(LEAK, encoding="utf-8")
    (root / "lnk").symlink_to("src", target_is_directory=True)
    if subprocess.run(["git", "--version"], capture_output=True).returncode == 0:
        subprocess.run(["git", "init", "-q"], cwd=root, check=True, capture_output=True)
    else:  # pragma: no cover
        (root / ".git").mkdir()
        (root / ".git" / "config").write_text("", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def settings(root: Path, cache_dir: str) -> None:
    (root / "pyproject.toml").write_text(f"[tool.idlint]\ncache-dir = {cache_dir!r}\n",
                                         encoding="utf-8")


def snapshot(top: Path) -> dict[str, object]:
    """Every name under `top` with its kind, content or target, and mode: what must not
    change (symlinks are not followed)."""
    out: dict[str, object] = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder) / name
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                what: object = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                what = ("dir", stat.S_IMODE(st.st_mode))
            else:
                what = ("file", path.read_bytes(), stat.S_IMODE(st.st_mode))
            out[path.relative_to(top).as_posix()] = what
    return out


def findings(report: object) -> list[tuple[str, int, int, str]]:
    return [(f.location.path, f.location.line, f.location.column, f.code)
            for f in report.findings]  # type: ignore[attr-defined]


def refused(root: Path, message: str) -> None:
    """Scan twice with the settings in `root` (a second run would read what the first wrote)
    and check the cache was refused with `message`, and nothing written anywhere."""
    before_project, before_elsewhere = snapshot(root), snapshot(root.parent / "elsewhere")
    for _ in range(2):
        config = load_config([root], None, False)
        report = scan([root], config, jobs=1)
        assert findings(report) == EXPECTED
        assert report.notices == (f"{message}; scanning without cache",)
    assert snapshot(root) == before_project
    assert snapshot(root.parent / "elsewhere") == before_elsewhere
    assert sorted(p.name for p in root.parent.iterdir()) == ["elsewhere", "project"]


@pytest.mark.parametrize("value", [".", "./", "src/..", "lnk/.."])
def test_the_project_folder_itself_is_refused(project: Path, value: str) -> None:
    # before: `.gitignore` with `*` at the root hid the whole project from git
    settings(project, value)
    refused(project, f"cache folder {project} is the project folder itself; the cache needs "
                     "a folder of its own")


@pytest.mark.parametrize("value", [".git", ".git/", ".git/idlint", ".GIT", "src/../.git/x"])
def test_a_folder_in_git_is_refused(project: Path, value: str) -> None:
    settings(project, value)
    where = project / os.path.normpath(value)
    refused(project, f"cache folder {where} is inside the project's .git folder")


@pytest.mark.parametrize("value", ["src", "src/", "./src", "sub/../src"])
def test_a_folder_of_project_files_is_refused(project: Path, value: str) -> None:
    # before: `.gitignore` with `*` in src/ hid the code from git, CACHEDIR.TAG from backups
    settings(project, value)
    refused(project, f"cache folder {project / 'src'} holds 'leak.py', {FOREIGN}")


def test_a_folder_named_like_the_caches_own_subfolders_is_looked_into(project: Path) -> None:
    # a `reports` or `ab` folder is the cache's by name; what it holds must be entries
    (project / "docs" / "reports").mkdir(parents=True)
    (project / "docs" / "reports" / "q3.txt").write_text("figures", encoding="utf-8")
    settings(project, "docs")
    refused(project, f"cache folder {project / 'docs'} holds 'reports/q3.txt', {FOREIGN}")


@pytest.mark.parametrize("value", ["lnk", "lnk/cache", "lnk/../.c"])
def test_a_folder_reached_through_a_symlink_is_refused(project: Path, value: str) -> None:
    settings(project, value)
    if value == "lnk/../.c":  # `..` is folded by name: the folder checked is the one used
        (project / ".c").symlink_to("src", target_is_directory=True)
        where, step = project / ".c", ".c"
    else:
        where, step = project / value, "lnk"
    refused(project, f"cache folder {where} is reached through a symlink ({step})")


def test_a_folder_outside_through_a_symlink_is_refused(project: Path) -> None:
    (project / "out").symlink_to(project.parent / "elsewhere", target_is_directory=True)
    settings(project, "out/cache")
    refused(project, f"cache folder {project / 'out' / 'cache'} is reached through a symlink "
                     "(out)")


@pytest.mark.parametrize("value", ["../elsewhere", "../elsewhere/cache", "ABS", "ABS/cache",
                                   "/"])
def test_a_folder_outside_the_project_is_refused(project: Path, value: str) -> None:
    value = value.replace("ABS", str(project.parent / "elsewhere"))
    settings(project, value)
    where = Path(os.path.normpath(project / value))
    refused(project, f"cache folder {where} is outside the project ({project}); {OUTSIDE}")


def test_the_cli_prints_one_warning_and_reports_the_finding(project: Path) -> None:
    settings(project, ".")
    before = snapshot(project)
    proc = subprocess.run([sys.executable, "-m", "idlint", "check", ".", "--format", "json"],
                          cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and '"code": "IDL001"' in proc.stdout
    assert proc.stderr == (f"idlint: warning: cache folder {project} is the project folder "
                           "itself; the cache needs a folder of its own; scanning without "
                           "cache\n")
    assert snapshot(project) == before


def test_a_new_folder_or_one_of_the_caches_own_is_used(project: Path) -> None:
    settings(project, "build/idlint")
    config = load_config([project], None, False)
    first = scan([project], config, jobs=1)
    assert first.notices == () and findings(first) == EXPECTED
    cache = project / "build" / "idlint"
    assert (cache / ".gitignore").read_text() == "# created by idlint\n*\n"
    assert (cache / "CACHEDIR.TAG").is_file()
    assert len(list(cache.glob("[0-9a-f][0-9a-f]/*.entry"))) == 1
    # the folder now holds only what the cache made: used again (a report from the cache)
    again = scan([project], config, jobs=1)
    assert again.notices == () and findings(again) == EXPECTED
    assert again.stats.get("report_cache") == 1.0
    # and what the project keeps beside it is not touched
    assert sorted(p.name for p in (project / "build").iterdir()) == ["idlint"]


def test_an_existing_gitignore_or_tag_is_never_overwritten(project: Path) -> None:
    cache = project / ".idlint_cache"
    cache.mkdir()
    (cache / ".gitignore").write_text("!keep-me\n", encoding="utf-8")
    (cache / "CACHEDIR.TAG").symlink_to(project / "src" / "leak.py")
    report = scan([project], load_config([project], None, False), jobs=1)
    assert report.notices == () and findings(report) == EXPECTED
    assert (cache / ".gitignore").read_text() == "!keep-me\n"
    assert (cache / "CACHEDIR.TAG").is_symlink()
    assert (project / "src" / "leak.py").read_text() == LEAK
    assert len(list(cache.glob("[0-9a-f][0-9a-f]/*.entry"))) == 1


def test_the_prune_stamp_is_touched_not_rewritten(project: Path) -> None:
    cache = project / ".idlint_cache"
    cache.mkdir()
    (cache / "pruned").write_bytes(b"")
    os.utime(cache / "pruned", (1_000_000, 1_000_000))
    inode = os.lstat(cache / "pruned").st_ino
    scan([project], load_config([project], None, False), jobs=1)
    assert os.lstat(cache / "pruned").st_ino == inode
    assert os.lstat(cache / "pruned").st_mtime > 1_000_000


def test_the_default_folder_holding_other_files_is_refused(project: Path) -> None:
    # .idlint_cache is the repository's to fill as well (a checkout without git, an archive)
    (project / ".idlint_cache").mkdir()
    (project / ".idlint_cache" / "README").write_text("x", encoding="utf-8")
    refused(project, f"cache folder {project / '.idlint_cache'} holds 'README', {FOREIGN}")


def test_the_command_line_may_name_any_folder(project: Path) -> None:
    # the user's choice: even the project folder, or one of other files; the cache's
    # entries go there, but not its markers (which would hide those files from git and
    # backups), and nothing there is overwritten
    for where in (project, project.parent / "elsewhere"):
        before = snapshot(where)
        result = CliRunner().invoke(main, ["--cache-dir", str(where), "src"])
        assert result.exit_code == 1 and result.stderr == ""
        after = snapshot(where)
        assert {k: v for k, v in after.items() if k in before} == before
        assert not (where / ".gitignore").exists() and not (where / "CACHEDIR.TAG").exists()
        assert len(list(where.glob("[0-9a-f][0-9a-f]/*.entry"))) == 1
    # a new folder is the cache's own, with its markers
    result = CliRunner().invoke(main, ["--cache-dir", str(project.parent / "new"), "src"])
    assert result.exit_code == 1 and result.stderr == ""
    assert (project.parent / "new" / "CACHEDIR.TAG").is_file()


def test_open_cache_checks_the_place_only_for_the_repositorys_choice(project: Path) -> None:
    assert open_cache(project.parent / "elsewhere", project, chosen_by_user=True).markers is False
    assert open_cache(project / "new", project).markers is True


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                    reason="needs git")
def test_a_tracked_cache_folder_is_found_whatever_core_worktree_says(project: Path) -> None:
    # core.worktree elsewhere made the folder look outside the work tree, so untracked
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    cache = project / ".idlint_cache"
    (cache / "reports").mkdir(parents=True)
    (cache / "reports" / f"{'0' * 64}.entry").write_bytes(b"whatever")
    for args in (["add", "-f", "."], ["commit", "-q", "-m", "x"],
                 ["config", "core.worktree", str(project.parent / "elsewhere")]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)
    refused(project, f"cache folder {cache} is tracked by git (committed to the repository)")
