"""A cache that cannot be turned against its user. The scanned repository is hostile: it can
commit `.idlint_cache/` (pickles that run code, forged entries that hide findings, symlinks
that lead writes and deletions outside) or point `cache-dir` elsewhere. None of it may run
code, touch anything outside the cache, or change a finding."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idlint.analysis.perfile import FileResult, digest
from idlint.api import scan
from idlint.cache import FORMAT, Cache, open_cache
from idlint.config import Config
from idlint.keys import key_path, load_key

LEAK = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
    "    return JsonResponse({'id': m.id})\n"
)
EXPECTED = [("leak.py", 7, 32, "IDL001")]


def _scan(root: Path, use_cache: bool = True):  # type: ignore[no-untyped-def]
    report = scan([root], Config(root=root), jobs=1, use_cache=use_cache)
    return report, [(f.location.path, f.location.line, f.location.column, f.code)
                    for f in report.findings]


class _RunsCode:
    """Unpickling this writes a marker file: what a committed cache entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "code ran"))


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "leak.py").write_text(LEAK, encoding="utf-8")
    return root


def _entry_name(root: Path) -> tuple[str, str]:
    """Where the cache looks for leak.py's facts (the name is no secret)."""
    cache = Cache(root / ".idlint_cache", b"k" * 32)
    return cache._entry(digest(LEAK.encode()), "leak.py", "leak")


def test_a_committed_cache_of_pickle_payloads_runs_no_code(tmp_path: Path) -> None:
    root = _project(tmp_path)
    marker = tmp_path / "marker"
    payload = pickle.dumps(_RunsCode(marker))
    sub, name = _entry_name(root)
    committed = root / ".idlint_cache"
    # every name the cache reads or once read, with and without a plausible header
    for rel in (f"{sub}/{name}", f"{sub}/{name[:-6]}.pickle", "latest/x.entry",
                "reports/x.entry", "solver/x.entry", "positions/x.entry"):
        (committed / rel).parent.mkdir(parents=True, exist_ok=True)
        (committed / rel).write_bytes(payload)
    (committed / "zz").mkdir()
    (committed / "zz" / f"{'0' * 64}.entry").write_bytes(
        b"idlint\x00" + bytes([FORMAT]) + b"\x00" * 32 + payload)
    _, findings = _scan(root)
    assert not marker.exists()
    assert findings == EXPECTED == _scan(root, use_cache=False)[1]


def test_a_forged_entry_does_not_hide_findings(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sub, name = _entry_name(root)
    # An entry that claims leak.py has no facts, written by an idlint with another key:
    # well-formed in every way but its authentication.
    forger = Cache(root / ".idlint_cache", b"\x01" * 32)
    forger.put(FileResult("leak.py", digest(LEAK.encode()), None), "leak.py", "leak")
    assert (root / ".idlint_cache" / sub / name).is_file()
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert report.stats["cache_misses"] == 1.0


def test_a_flipped_bit_is_a_miss_and_never_a_different_result(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _scan(root)
    sub, name = _entry_name(root)
    entry = root / ".idlint_cache" / sub / name
    for offset in (3, 20, len(entry.read_bytes()) // 2, len(entry.read_bytes()) - 1):
        data = bytearray(entry.read_bytes())
        data[offset] ^= 0x10
        entry.write_bytes(bytes(data))
        for report_entry in (root / ".idlint_cache" / "reports").iterdir():
            report_entry.unlink()  # so the per-file entry is read
        report, findings = _scan(root)
        assert findings == EXPECTED
        assert report.stats["cache_misses"] == 1.0


def test_a_symlinked_prune_stamp_and_subfolders_touch_nothing_outside(tmp_path: Path) -> None:
    root = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / "precious.txt"
    precious.write_text("keep me")
    old_entry = outside / f"{'a' * 64}.pickle"
    old_entry.write_bytes(b"not ours")
    for path in (precious, old_entry):
        os.utime(path, (1_000_000, 1_000_000))  # far older than any pruning age
    committed = root / ".idlint_cache"
    committed.mkdir()
    os.symlink(precious, committed / "pruned")
    os.utime(committed / "pruned", (1_000_000, 1_000_000), follow_symlinks=False)  # prune now
    # (a set: the entry's own folder may itself be "aa", depending on the cache format)
    for sub in sorted({"aa", "reports", "solver", "positions", "latest",
                       _entry_name(root)[0]}):
        os.symlink(outside, committed / sub)
    _, findings = _scan(root)
    assert findings == EXPECTED
    assert precious.read_text() == "keep me"
    assert old_entry.read_bytes() == b"not ours"
    assert sorted(p.name for p in outside.iterdir()) == sorted([precious.name, old_entry.name])
    assert precious.stat().st_mtime == old_entry.stat().st_mtime == 1_000_000
    # the stamp was replaced by a file of idlint's own, not written through the link
    assert not (committed / "pruned").is_symlink()


def test_a_cache_folder_that_is_a_symlink_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / ".idlint_cache")
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert list(outside.iterdir()) == []
    assert report.notices == (
        f"cache folder {root / '.idlint_cache'} is reached through a symlink (.idlint_cache); "
        "scanning without cache",)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / ".idlint_cache").mkdir()
    os.chown(root / ".idlint_cache", 65534, 65534)
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert list((root / ".idlint_cache").iterdir()) == []
    assert report.notices == (f"cache folder {root / '.idlint_cache'} is not owned by the "
                              "current user; scanning without cache",)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=root, check=True, capture_output=True)


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                    reason="needs git")
def test_a_cache_folder_tracked_by_git_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _git(root, "init", "-q")
    (root / ".idlint_cache").mkdir()
    (root / ".idlint_cache" / "reports").mkdir()
    (root / ".idlint_cache" / "reports" / "x.entry").write_bytes(b"whatever")
    _git(root, "add", "-f", ".idlint_cache", "leak.py")
    _git(root, "commit", "-q", "-m", "x")
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert report.notices == (f"cache folder {root / '.idlint_cache'} is tracked by git "
                              "(committed to the repository); scanning without cache",)
    assert sorted(p.name for p in (root / ".idlint_cache").iterdir()) == ["reports"]


def test_the_key_is_private_and_outside_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _scan(root)
    path = key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) == 32
    assert root not in path.parents


def test_a_key_others_can_read_is_not_used(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "config"
    (home / "idlint").mkdir(parents=True)
    (home / "idlint" / "cache-key").write_bytes(b"k" * 32)
    (home / "idlint" / "cache-key").chmod(0o644)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    root = _project(tmp_path)
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert report.notices == (
        f"cache key {home / 'idlint' / 'cache-key'} can be read by others (mode 644; it must "
        "be 600); cache not used; scanning without cache",)
    assert not (root / ".idlint_cache").exists()


def test_a_key_inside_the_scanned_project_is_not_used(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / ".config"))
    report, findings = _scan(root)
    assert findings == EXPECTED
    assert report.notices == (
        f"cache key {root / '.config' / 'idlint' / 'cache-key'} lies inside the scanned "
        "project; cache not used; scanning without cache",)


def test_a_fifo_in_place_of_an_entry_does_not_block(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sub, name = _entry_name(root)
    (root / ".idlint_cache" / sub).mkdir(parents=True)
    os.mkfifo(root / ".idlint_cache" / sub / name)
    started = time.monotonic()
    _, findings = _scan(root)
    assert findings == EXPECTED
    assert time.monotonic() - started < 30


def test_pruning_deletes_only_old_entries_of_its_own(tmp_path: Path) -> None:
    root = _project(tmp_path)
    cache = open_cache(root / ".idlint_cache", root)
    cache.put(FileResult("x.py", "d", None), "x.py", "x")
    folder = next(p for p in (root / ".idlint_cache").iterdir() if len(p.name) == 2)
    entry = next(folder.iterdir())
    stranger = folder / "notes.txt"
    stranger.write_text("not an entry")
    for path in (entry, stranger):
        os.utime(path, (1_000_000, 1_000_000))
    assert cache.prune() == 1
    assert not entry.exists()
    assert stranger.read_text() == "not an entry"


def test_entries_are_verified_before_they_are_unpickled(tmp_path: Path) -> None:
    root = _project(tmp_path)
    key = load_key(root)
    cache = Cache(root / ".idlint_cache", key)
    cache.put_state("reports", "k", {"a": 1})
    assert cache.get_state("reports", "k") == {"a": 1}
    entry = root / ".idlint_cache" / "reports" / "k.entry"
    header = entry.read_bytes()[:40]
    assert header.startswith(b"idlint\x00" + bytes([FORMAT]))
    entry.write_bytes(header + pickle.dumps(_RunsCode(tmp_path / "marker")))
    assert cache.get_state("reports", "k") is None
    assert not (tmp_path / "marker").exists()


def test_cli_prints_one_line_when_the_cache_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    os.symlink(tmp_path, root / ".idlint_cache")
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "idlint", "check", ".", "--format", "json"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == (f"idlint: warning: cache folder {root / '.idlint_cache'} is reached "
                           "through a symlink (.idlint_cache); scanning without cache\n")


def test_the_cache_folder_can_come_from_the_environment(tmp_path: Path) -> None:
    root = _project(tmp_path)
    elsewhere = tmp_path / "ci-cache"
    env = dict(os.environ, IDLINT_CACHE_DIR=str(elsewhere))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "idlint", "check", ".", "--format",
                               "json"], cwd=root, env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 1 and proc.stderr == ""
    assert len(list(elsewhere.glob("[0-9a-f][0-9a-f]/*.entry"))) == 1
    assert len(list(elsewhere.glob("reports/*.entry"))) == 1
    assert not (root / ".idlint_cache").exists()
