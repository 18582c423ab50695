"""`--diff REF` on a hostile repository: REF is only ever a revision, no changed file is lost
to an odd name, an unreadable patch, the index's flags or the exclude files in `.git`, git
compares the project's own files whatever `core.worktree` says, and neither the repository's
git config (included files too), its hooks nor a submodule's config runs a program."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from idlint.api import scan
from idlint.cli import main
from idlint.config import Config
from idlint.diffmode import DiffError, changed_lines, only_changed

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

LEAK = """from django.db import models
from django.http import JsonResponse
class Member(models.Model):
    nickname = models.CharField(max_length=9)
def v(request):
    m = Member.objects.get(nickname='x')
    return JsonResponse({'id': m.id})
"""
# the committed version of a modified file: only line 7, the leak, differs
BEFORE = LEAK.replace("return JsonResponse({'id': m.id})", "return None")
CLEAN = "def add(a, b):\n    return a + b\n"

# names git C-quotes in patch headers (and in ls-files output without -z)
MODIFIED = ["a b.py", "vïews.py", 'q"uote.py', "t\tab.py", "back\\slash.py", "new\nline.py",
            "trailing .py"]
UNTRACKED = ["new one.py", "ünew.py", 'un"q.py', "un\ttab.py"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose last commit has `old.py` (an old leak) and `clean.py`."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.idlint]\n", encoding="utf-8")
    (root / "old.py").write_text(LEAK, encoding="utf-8")
    (root / "clean.py").write_text(CLEAN, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    monkeypatch.chdir(root)
    return root


def commit(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "more")


def findings(repo: Path, changed: dict[str, set[int] | None]) -> list[tuple[str, int, int, str]]:
    report = only_changed(scan([repo], Config(root=repo), use_cache=False), changed)
    return sorted((f.location.path, f.location.line, f.location.column, f.code)
                  for f in report.findings)


def test_files_with_odd_names_are_never_lost(repo: Path) -> None:
    commit(repo, dict.fromkeys(MODIFIED, BEFORE))
    for name in MODIFIED + UNTRACKED:
        (repo / name).write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    # the modified files' lines come from their (quoted) patch headers, not from a fallback
    assert changed == {**{name: {7} for name in MODIFIED}, **dict.fromkeys(UNTRACKED, None)}
    assert findings(repo, changed) == sorted((name, 7, 32, "IDL001")
                                             for name in MODIFIED + UNTRACKED)


def test_a_name_that_is_not_utf8_is_kept(repo: Path) -> None:
    name = os.fsdecode(b"bad\xff.py")
    commit(repo, {name: BEFORE})
    (repo / name).write_text(LEAK, encoding="utf-8")
    (repo / os.fsdecode(b"new\xfe.py")).write_text(LEAK, encoding="utf-8")
    assert changed_lines(repo, "HEAD") == {name: {7}, os.fsdecode(b"new\xfe.py"): None}


def test_an_added_line_that_looks_like_a_patch_header_is_content(repo: Path) -> None:
    commit(repo, {"x.py": "a\nb\n", "y y.py": "a\nb\n"})
    (repo / "x.py").write_text("a\nb\n++ b/y y.py\n++ b/clean.py\n", encoding="utf-8")
    (repo / "y y.py").write_text("z\nb\n", encoding="utf-8")
    assert changed_lines(repo, "HEAD") == {"x.py": {3, 4}, "y y.py": {1}}


def test_a_pure_deletion_touches_the_lines_around_it(repo: Path) -> None:
    commit(repo, {"x.py": "a\nb\nc\nd\ne\n"})
    (repo / "x.py").write_text("b\nc\ne\n", encoding="utf-8")
    assert changed_lines(repo, "HEAD") == {"x.py": {1, 2, 3}}


def test_a_file_git_shows_as_binary_counts_as_wholly_changed(repo: Path) -> None:
    # a pull request can mark its files binary; their findings must still be reported
    commit(repo, {".gitattributes": "*.py -diff\n", "views.py": BEFORE})
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"views.py": None}
    assert findings(repo, changed) == [("views.py", 7, 32, "IDL001")]


def test_a_mode_change_touches_no_line(repo: Path) -> None:
    (repo / "old.py").chmod(0o755)
    changed = changed_lines(repo, "HEAD")
    assert changed == {"old.py": set()}
    assert findings(repo, changed) == []


def test_the_repository_config_runs_no_program(repo: Path) -> None:
    marker = repo.parent / "ran"
    script = repo.parent / "hook.sh"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\n", encoding="utf-8")
    script.chmod(0o755)
    commit(repo, {".gitattributes": "*.py diff=evil\n", "views.py": BEFORE})
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    (repo / "a b.py").write_text(LEAK, encoding="utf-8")
    git(repo, "add", "a b.py")
    # set last: the test's own git commands would run the hook
    for key in ("core.fsmonitor", "diff.external", "diff.evil.command", "diff.evil.textconv",
                "core.pager"):
        git(repo, "config", key, str(script))
    # and config that would change the patch headers the changed lines are read from
    for key in ("diff.noprefix", "diff.mnemonicPrefix", "diff.renames", "color.diff"):
        git(repo, "config", key, "true")
    git(repo, "config", "core.quotePath", "false")
    # `a b.py` is staged, not committed: new since HEAD, so wholly changed
    assert changed_lines(repo, "HEAD") == {"views.py": {7}, "a b.py": None}
    assert not marker.exists()


def test_the_repository_filter_drivers_run_no_program(repo: Path) -> None:
    # comparing the working tree runs a filter driver's clean (or process) command on every
    # file whose attributes name the driver: both come from the repository
    marker = repo.parent / "ran"
    script = repo.parent / "filter.sh"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    commit(repo, {".gitattributes": "*.py filter=evil\n", "views.py": BEFORE})
    for key in ("clean", "process", "smudge"):
        git(repo, "config", f"filter.evil.{key}", str(script))
    git(repo, "config", "filter.evil.required", "true")
    marker.unlink(missing_ok=True)  # the test's own commit ran it
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    assert changed_lines(repo, "HEAD") == {"views.py": {7}}
    assert not marker.exists()


def test_a_partial_clone_fetches_nothing_from_its_promisor_remote(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    # a diff that needs a missing object fetches it from the promisor remote, whose URL (an
    # `ext::` command), SSH command and credential helper the repository's config chooses
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    (origin / "views.py").write_text(BEFORE, encoding="utf-8")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "one")
    (origin / "views.py").write_text(LEAK, encoding="utf-8")
    git(origin, "commit", "-q", "-am", "two")
    git(origin, "config", "uploadpack.allowFilter", "true")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", origin.as_uri(), str(clone))
    marker = tmp_path / "ran"
    git(clone, "config", "remote.origin.url", f"ext::sh -c touch% {marker}")
    git(clone, "config", "protocol.ext.allow", "always")
    git(clone, "config", "protocol.allow", "always")
    monkeypatch.chdir(clone)
    with pytest.raises(DiffError):  # HEAD~1's blob is not there, and may not be fetched
        changed_lines(clone, "HEAD~1")
    assert not marker.exists()


@pytest.mark.parametrize("ref", ["--output=OUT", "-p", "-", ""])
def test_a_ref_that_is_an_option_is_refused(repo: Path, ref: str) -> None:
    with pytest.raises(DiffError, match="not a git revision"):
        changed_lines(repo, ref.replace("OUT", str(repo / "out")))
    assert not (repo / "out").exists()


@pytest.mark.parametrize("args", [["--diff", "--output=OUT"], ["--diff=--output=OUT"]])
def test_cli_refuses_an_option_as_the_ref(repo: Path, args: list[str]) -> None:
    target = repo.parent / "overwritten"
    args = [a.replace("OUT", str(target)) for a in args]
    result = CliRunner().invoke(main, ["--no-cache", *args, "."])
    assert result.exit_code == 2
    assert result.output == f"idlint: error: --diff: not a git revision: '--output={target}'\n"
    assert not target.exists()


def test_cli_subprocess_refuses_an_option_as_the_ref(repo: Path) -> None:
    target = repo.parent / "overwritten"
    proc = subprocess.run([sys.executable, "-m", "idlint", "--no-cache",
                           f"--diff=--output={target}", "."],
                          cwd=repo, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("idlint: error: --diff: ")
    assert not target.exists()


@pytest.mark.parametrize("ref", ["no-such-branch", "HEAD:old.py", "HEAD~5", "HEAD\nHEAD"])
def test_cli_a_ref_that_names_no_commit_is_a_usage_error(repo: Path, ref: str) -> None:
    result = CliRunner().invoke(main, ["--no-cache", "--diff", ref, "."])
    assert result.exit_code == 2
    assert result.output == (
        f"idlint: error: --diff: not a commit in this repository: {ref!r}\n")


# ------------------------------------------------------------------------- a hostile .git


def hook_script(tmp: Path, marker: Path) -> Path:
    script = tmp / "hook.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $@\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("where", ["inside", "outside"])
def test_core_worktree_cannot_point_git_at_other_files(repo: Path, where: str) -> None:
    # a copy of the committed files, inside the project or beside it: compared instead of the
    # project's own, the change to views.py and the new file would both be hidden
    commit(repo, {"views.py": BEFORE})
    other = repo / "old" if where == "inside" else repo.parent / "old"
    other.mkdir()
    for name in ("views.py", "old.py", "clean.py"):
        (other / name).write_bytes((repo / name).read_bytes())
    (other / "elsewhere.py").write_text(LEAK, encoding="utf-8")  # untracked, there only
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    (repo / "new.py").write_text(LEAK, encoding="utf-8")
    git(repo, "config", "core.worktree", str(other))
    changed = changed_lines(repo, "HEAD")
    copies = {f"old/{n}": None for n in ("clean.py", "elsewhere.py", "old.py", "views.py")}
    assert changed == {"views.py": {7}, "new.py": None, **(copies if where == "inside" else {})}
    assert [f for f in findings(repo, changed) if not f[0].startswith("old/")] == [
        ("new.py", 7, 32, "IDL001"), ("views.py", 7, 32, "IDL001")]


def test_hooks_of_the_repository_never_run(repo: Path) -> None:
    # writing an index runs post-index-change, from .git/hooks or from core.hooksPath; git
    # diff writes one when it refreshes stale file times
    marker = repo.parent / "ran"
    hook_script(repo.parent, marker)
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    for folder in (repo / ".git" / "hooks", hooks):
        folder.mkdir(exist_ok=True)
        for name in ("post-index-change", "reference-transaction", "post-checkout"):
            (folder / name).write_bytes((repo.parent / "hook.sh").read_bytes())
            (folder / name).chmod(0o755)
    (repo / "old.py").write_text(LEAK.replace("'x'", "'y'"), encoding="utf-8")
    os.utime(repo / "clean.py", (1_000_000, 1_000_000))  # stale in the index: refreshed
    assert changed_lines(repo, "HEAD") == {"old.py": {6}}
    git(repo, "config", "core.hooksPath", str(hooks))
    assert changed_lines(repo, "HEAD") == {"old.py": {6}}
    assert not marker.exists()


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_flags_in_the_index_do_not_hide_a_change(repo: Path, flag: str) -> None:
    # git takes a flagged file as unchanged without reading it
    commit(repo, {"views.py": BEFORE})
    git(repo, "update-index", flag, "views.py")
    git(repo, "config", "core.ignoreStat", "true")
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"views.py": {7}}
    assert findings(repo, changed) == [("views.py", 7, 32, "IDL001")]


def test_a_sparse_checkout_does_not_hide_a_change(repo: Path) -> None:
    commit(repo, {"views.py": BEFORE})
    git(repo, "config", "core.sparseCheckout", "true")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "sparse-checkout").write_text("/clean.py\n", encoding="utf-8")
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    assert changed_lines(repo, "HEAD") == {"views.py": {7}}


def test_exclude_files_in_git_do_not_hide_a_new_file(repo: Path) -> None:
    # discovery reads .gitignore files only: so does the list of new files
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("new.py\n", encoding="utf-8")
    (repo.parent / "excludes").write_text("*.py\n", encoding="utf-8")
    git(repo, "config", "core.excludesFile", str(repo.parent / "excludes"))
    (repo / "new.py").write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"new.py": None}
    assert findings(repo, changed) == [("new.py", 7, 32, "IDL001")]


@pytest.mark.parametrize("include", ["include.path", "includeIf.gitdir:/.path"])
def test_included_config_runs_no_program_and_moves_nothing(repo: Path, include: str) -> None:
    marker = repo.parent / "ran"
    script = hook_script(repo.parent, marker)
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    (hooks / "post-index-change").write_bytes(script.read_bytes())
    (hooks / "post-index-change").chmod(0o755)
    other = repo.parent / "other"
    other.mkdir()
    commit(repo, {".gitattributes": "*.py diff=evil filter=evil\n", "views.py": BEFORE})
    marker.unlink(missing_ok=True)
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    (repo.parent / "evil.config").write_text(
        f"[core]\n\tfsmonitor = {script}\n\tpager = {script}\n\thooksPath = {hooks}\n"
        f"\tworktree = {other}\n\texcludesFile = {repo.parent / 'evil.config'}\n"
        f"[diff]\n\texternal = {script}\n[diff \"evil\"]\n\ttextconv = {script}\n"
        f"\tcommand = {script}\n[filter \"evil\"]\n\tclean = {script}\n"
        f"\tprocess = {script}\n\trequired = true\n", encoding="utf-8")
    key = include.replace("gitdir:/", f"gitdir:{repo}/") if "gitdir" in include else include
    git(repo, "config", key, str(repo.parent / "evil.config"))
    seen = subprocess.run(["git", "config", "--get", "diff.external"], cwd=repo, text=True,
                          capture_output=True, check=True).stdout
    assert seen == f"{script}\n"  # git does read the included file
    changed = changed_lines(repo, "HEAD")
    assert changed == {"views.py": {7}}
    assert findings(repo, changed) == [("views.py", 7, 32, "IDL001")]
    assert not marker.exists()


def test_a_submodule_runs_no_program(repo: Path) -> None:
    # git would look into a submodule (`git status` there, or a diff with diff.submodule),
    # under the submodule's own config, hooks and attributes
    marker = repo.parent / "ran"
    script = hook_script(repo.parent, marker)
    lib = repo.parent / "lib"
    lib.mkdir()
    git(lib, "init", "-q")
    commit(lib, {"w.py": BEFORE, ".gitattributes": "*.py filter=evil diff=evil\n"})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(lib), "lib")
    git(repo, "commit", "-q", "-m", "sub")
    inner = repo / "lib"
    for key in ("filter.evil.clean", "diff.external", "diff.evil.textconv", "core.fsmonitor"):
        git(inner, "config", key, str(script))
    git(repo, "config", "diff.submodule", "diff")
    hooks = repo / ".git" / "modules" / "lib" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    (hooks / "post-index-change").write_bytes(script.read_bytes())
    (hooks / "post-index-change").chmod(0o755)
    (inner / "w.py").write_text(LEAK, encoding="utf-8")
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    # and the change inside it is found (git's own look into it is off; see below)
    assert changed_lines(repo, "HEAD") == {"views.py": None, "lib/w.py": {7}}
    assert not marker.exists()


def submodule(repo: Path, files: dict[str, str]) -> Path:
    lib = repo.parent / "lib"
    lib.mkdir()
    git(lib, "init", "-q")
    commit(lib, files)
    git(repo, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(lib), "lib")
    git(repo, "commit", "-q", "-m", "sub")
    return repo / "lib"


def test_a_change_inside_a_submodule_is_found(repo: Path) -> None:
    # uncommitted in the submodule, and committed there without the superproject's pointer
    inner = submodule(repo, {"w.py": BEFORE, "x.py": BEFORE})
    (inner / "w.py").write_text(LEAK, encoding="utf-8")
    commit(inner, {"x.py": LEAK})
    (inner / "new.py").write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"lib/w.py": {7}, "lib/x.py": {7}, "lib/new.py": None}
    assert findings(repo, changed) == [("lib/new.py", 7, 32, "IDL001"),
                                       ("lib/w.py", 7, 32, "IDL001"),
                                       ("lib/x.py", 7, 32, "IDL001")]


def test_a_submodule_without_its_recorded_commit_is_wholly_new(repo: Path) -> None:
    inner = submodule(repo, {"w.py": LEAK})
    git(repo, "update-index", "--cacheinfo", f"160000,{'1' * 40},lib")
    git(repo, "commit", "-q", "-m", "pointer to a commit the submodule does not have")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"lib/": None}
    assert findings(repo, changed) == [("lib/w.py", 7, 32, "IDL001")]
    assert (inner / "w.py").read_text(encoding="utf-8") == LEAK


def test_a_submodule_path_that_is_a_symlink_is_not_followed(repo: Path) -> None:
    inner = submodule(repo, {"w.py": BEFORE})
    outside = repo.parent / "outside"
    inner.rename(outside)
    (outside / "w.py").write_text(LEAK, encoding="utf-8")  # would be compared if followed
    (repo / "lib").symlink_to(outside, target_is_directory=True)
    assert changed_lines(repo, "HEAD") == {}


def test_a_nested_repository_counts_as_new(repo: Path) -> None:
    # git lists a folder holding its own .git, not its files: all of them are new here
    nested = repo / "nested"
    nested.mkdir()
    git(nested, "init", "-q")
    (nested / "views.py").write_text(LEAK, encoding="utf-8")
    changed = changed_lines(repo, "HEAD")
    assert changed == {"nested/": None}
    assert findings(repo, changed) == [("nested/views.py", 7, 32, "IDL001")]


def test_a_bare_flag_or_the_environment_does_not_change_the_comparison(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commit(repo, {"views.py": BEFORE})
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    git(repo, "config", "core.bare", "true")
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo.parent / "no-index"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo.parent))
    assert changed_lines(repo, "HEAD") == {"views.py": {7}}
    assert not (repo.parent / "no-index").exists()


def test_nothing_is_written_in_the_project_or_its_git_folder(repo: Path) -> None:
    commit(repo, {"views.py": BEFORE})
    git(repo, "config", "core.splitIndex", "true")
    git(repo, "config", "core.untrackedCache", "true")
    (repo / "views.py").write_text(LEAK, encoding="utf-8")
    os.utime(repo / "clean.py", (1_000_000, 1_000_000))

    def tree() -> dict[str, tuple[float, int]]:
        return {str(p.relative_to(repo)): (p.lstat().st_mtime, p.lstat().st_size)
                for p in repo.rglob("*")}

    before = tree()
    assert changed_lines(repo, "HEAD") == {"views.py": {7}}
    assert tree() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving the repository to another user needs root")
def test_safe_directory_in_the_repository_config_grants_nothing(repo: Path) -> None:
    # git only honours safe.directory from the user's and the system's config
    git(repo, "config", "safe.directory", "*")
    for path in (repo, *repo.rglob("*")):
        os.lchown(path, 65534, 65534)
    with pytest.raises(DiffError, match=r"^--diff: fatal: detected dubious ownership in "
                                        r"repository at "):
        changed_lines(repo, "HEAD")
