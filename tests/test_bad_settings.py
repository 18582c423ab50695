"""Hostile settings and baselines: a scanned repository controls its pyproject.toml and any
baseline file in it. Whatever they hold, idlint either uses them or stops with one line on
standard error naming the file and the key, and exit status 2; never a traceback. Output
files get the modes users expect."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from idlint.cli import main
from idlint.safeio import write_atomic

VIEW = """
from django.db import models
from django.http import JsonResponse


class Member(models.Model):
    nickname = models.CharField(max_length=40)


def me(request):
    m = Member.objects.get(nickname="x")
    return JsonResponse({"id": m.id})
"""
WHERE = "pyproject.toml: [tool.idlint]"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.idlint]\n", encoding="utf-8")
    (root / "app" / "views.py").write_text(textwrap.dedent(VIEW).lstrip(), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["--no-cache", *args, "app"])


def settings(project: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (project / "pyproject.toml").write_bytes(data)


def assert_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    assert result.stderr == f"idlint: error: {message}\n"


# ------------------------------------------------------------------------- baseline


def baseline(project: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (project / "base.json").write_bytes(data)


def entries(*findings: object) -> str:
    return json.dumps({"idlint_baseline": 1, "version": "0", "findings": list(findings)})


def test_baseline_not_utf8(project: Path) -> None:
    baseline(project, b'{"idlint_baseline": 1, "findings": [], "x": "\xff"}')
    assert_error(run("--baseline", "base.json"),
                 "base.json: not a baseline file: not UTF-8 (invalid byte at offset 45)")


def test_baseline_number_too_long_for_python(project: Path) -> None:
    baseline(project, '{"idlint_baseline": ' + "1" * 5000 + "}")
    assert_error(run("--baseline", "base.json"),
                 "base.json: not a baseline file: a number has too many digits")


def test_baseline_nested_too_deeply(project: Path) -> None:
    baseline(project, "[" * 100000)
    assert_error(run("--baseline", "base.json"),
                 "base.json: not a baseline file: nested too deeply")


def test_baseline_nul_bytes(project: Path) -> None:
    baseline(project, entries({"fingerprint": "ab", "count": 1}).replace("ab", "a\0b"))
    assert_error(run("--baseline", "base.json"),
                 "base.json: not a baseline file: contains NUL bytes")


def test_baseline_escaped_nul_in_fingerprint(project: Path) -> None:
    baseline(project, entries({"fingerprint": "a\0b", "count": 1}))
    assert_error(run("--baseline", "base.json"),
                 "base.json: findings[0]: 'fingerprint' contains a NUL character")


@pytest.mark.parametrize(("count", "shown"), [
    (True, "true"), (-3, "-3"), (0, "0"), (10 ** 40, "a number too large"), (2.5, "2.5"),
    ("2", '"2"'),
])
def test_baseline_bad_count(project: Path, count: object, shown: str) -> None:
    baseline(project, entries({"fingerprint": "f" * 32, "count": 1},
                              {"fingerprint": "e" * 32, "count": count}))
    assert_error(run("--baseline", "base.json"),
                 f"base.json: findings[1]: 'count' must be a whole number from 1 to 1000000, "
                 f"got {shown}")


@pytest.mark.parametrize(("entry", "shown"), [
    ([1, 2], "an array"), ("f" * 32, '"ffffffffffffffffffffffffffffffff"'), (None, "null"),
])
def test_baseline_entry_not_an_object(project: Path, entry: object, shown: str) -> None:
    baseline(project, entries(entry))
    assert_error(run("--baseline", "base.json"),
                 f"base.json: findings[0] must be an object, got {shown}")


def test_baseline_fingerprint_not_a_string(project: Path) -> None:
    baseline(project, entries({"fingerprint": 12}))
    assert_error(run("--baseline", "base.json"),
                 "base.json: findings[0]: 'fingerprint' must be a non-empty string, got 12")


def test_baseline_too_large(project: Path) -> None:
    with (project / "base.json").open("wb") as fh:
        fh.truncate(64 * 1024 * 1024 + 1)  # sparse: costs no disk
    assert_error(run("--baseline", "base.json"),
                 "base.json: cannot read baseline: larger than 64 MiB")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_baseline_fifo_does_not_hang(project: Path) -> None:
    # Opening a FIFO waits for a writer that never comes: in a subprocess, with a timeout.
    os.mkfifo(project / "base.json")
    result = subprocess.run(
        [sys.executable, "-m", "idlint", "--no-cache", "--baseline", "base.json", "app"],
        cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "idlint: error: base.json: cannot read baseline: not a regular file\n"


def test_good_baseline_still_loads(project: Path) -> None:
    assert CliRunner().invoke(main, ["--no-cache", "--write-baseline", "base.json",
                                     "app"]).exit_code == 0
    doc = json.loads((project / "base.json").read_text())
    doc["findings"][0]["count"] = 2
    doc["findings"].append({"fingerprint": "0" * 32})  # no count: one
    baseline(project, json.dumps(doc))
    result = run("--baseline", "base.json")
    assert result.exit_code == 0
    assert "2 baseline entries no longer match" in result.stderr
    # and the count check is new: true used to count as one
    doc["findings"][1]["count"] = True
    baseline(project, json.dumps(doc))
    assert run("--baseline", "base.json").exit_code == 2


# ------------------------------------------------------------------------- TOML itself


def test_pyproject_not_utf8(project: Path) -> None:
    settings(project, b'[tool.idlint]\nsinks = ["\xe9"]\n')
    path = (project / "pyproject.toml").resolve()
    assert_error(run(), f"{path}: invalid TOML: not UTF-8 (invalid byte at offset 24)")


def test_pyproject_number_too_long_for_python(project: Path) -> None:
    settings(project, "[tool.idlint]\nfile-timeout = " + "1" * 5000 + "\n")
    path = (project / "pyproject.toml").resolve()
    assert_error(run(), f"{path}: invalid TOML: a number has too many digits")


def test_pyproject_nested_too_deeply(project: Path) -> None:
    settings(project, "[tool.idlint]\nsinks = " + "[" * 100000 + "]" * 100000 + "\n")
    path = (project / "pyproject.toml").resolve()
    assert_error(run(), f"{path}: invalid TOML: nested too deeply")


def test_pyproject_dotted_key_too_long(project: Path) -> None:
    # tomllib's work grows with the square of a dotted key's length: 100,000 parts take
    # tens of gigabytes. 2,000 are cheap enough to show the old code accepting them.
    settings(project, "[project]\nx" + ".x" * 2000 + " = 1\n[tool.idlint]\n")
    path = (project / "pyproject.toml").resolve()
    assert_error(run(), f"{path}: invalid TOML: dotted keys too long to parse safely")


@pytest.mark.parametrize("text", [
    "[tool]\nidlint = 5\n",
    '[tool]\nidlint = ["select"]\n',
])
def test_tool_idlint_must_be_a_table(project: Path, text: str) -> None:
    settings(project, text)
    path = (project / "pyproject.toml").resolve()
    kind = "an integer" if "5" in text else "an array"
    # found by discovery (find_config_file), not skipped in favour of defaults
    assert_error(run(), f"{path}: [tool.idlint] must be a table, got {kind}")
    # and named with --config
    assert_error(run("--config", "pyproject.toml"),
                 f"pyproject.toml: [tool.idlint] must be a table, got {kind}")


# ------------------------------------------------------------------------- values


@pytest.mark.parametrize(("value", "message"), [
    ("inf", "must be at most 86400 seconds (one day), got inf"),
    ("+inf", "must be at most 86400 seconds (one day), got inf"),
    ("nan", "must be a positive number, got nan"),
    ("1e10", "must be at most 86400 seconds (one day), got 10000000000.0"),
    ("86401", "must be at most 86400 seconds (one day), got 86401"),
    ("1" + "0" * 40, "must be at most 86400 seconds (one day), got a number too large"),
])
def test_file_timeout_out_of_range(project: Path, value: str, message: str) -> None:
    settings(project, f"[tool.idlint]\nfile-timeout = {value}\n")
    assert_error(run(), f"{WHERE} 'file-timeout' {message}")


@pytest.mark.parametrize(("value", "shown"), [
    ("63", "63"), ("1048577", "1048577"), ("true", "True"), ("512.0", "512.0"),
    ('"1G"', "'1G'"), ("-1", "-1"),
])
def test_file_memory_limit_out_of_range(project: Path, value: str, shown: str) -> None:
    settings(project, f"[tool.idlint]\nfile-memory-limit = {value}\n")
    assert_error(run(), f"{WHERE} 'file-memory-limit' must be a whole number of MiB from 64 "
                        f"to 1048576, got {shown}")


def test_file_memory_limit_accepted_and_defaults_to_2048(project: Path) -> None:
    from idlint.config import Config, load_config

    assert Config().file_memory_limit == 2048
    for value in (64, 1048576, 2048):
        settings(project, f"[tool.idlint]\nfile-memory-limit = {value}\n")
        assert load_config([project / "app"]).file_memory_limit == value
        assert run().exit_code == 1


@pytest.mark.parametrize(("key", "text", "pattern"), [
    ("exclude", 'exclude = ["build", "[z-a]"]', "'[z-a]'"),
    ("extend-exclude", "extend-exclude = ['src\\']", "'src\\\\'"),
    ("extend-exclude", "extend-exclude = ['!']", "'!'"),
    ("per-file-ignores", 'per-file-ignores = { "app/[z-a].py" = ["IDL001"] }',
     "'app/[z-a].py'"),
])
def test_glob_pathspec_cannot_compile(project: Path, key: str, text: str, pattern: str) -> None:
    settings(project, f"[tool.idlint]\n{text}\n")
    assert_error(run(), f"{WHERE} '{key}' has an invalid pattern {pattern}")


@pytest.mark.parametrize(("key", "text"), [
    ("sinks", 'sinks = ["app.a\\u0000b"]'),
    ("cache-dir", 'cache-dir = "cache\\u0000"'),
    ("exclude", 'exclude = ["x\\u0000"]'),
    ("per-file-ignores", 'per-file-ignores = { "app/\\u0000" = ["IDL001"] }'),
])
def test_nul_in_a_value(project: Path, key: str, text: str) -> None:
    settings(project, f"[tool.idlint]\n{text}\n")
    assert_error(run(), f"{WHERE} '{key}' contains a NUL character")


def test_nul_in_a_key(project: Path) -> None:
    settings(project, '[tool.idlint]\n"sinks\\u0000" = []\n')
    assert_error(run(), f"{WHERE} key 'sinks\\x00' contains a NUL character")


@pytest.mark.parametrize(("key", "text", "code"), [
    ("per-file-ignores", 'per-file-ignores = { "app/*" = ["IDL001", "IDL777"] }',
     "'IDL777' (for 'app/*')"),
    ("per-file-ignores", 'per-file-ignores = { "app/*" = [""] }', "'' (for 'app/*')"),
    ("select", 'select = ["ALL", "IDL9X"]', "'IDL9X'"),
    ("extend-select", 'extend-select = ["E501"]', "'E501'"),
    ("ignore", 'ignore = ["IDL0", "IDL0001"]', "'IDL0001'"),
])
def test_unknown_rule_code(project: Path, key: str, text: str, code: str) -> None:
    settings(project, f"[tool.idlint]\n{text}\n")
    assert_error(run(), f"{WHERE} '{key}' has an unknown rule code or prefix {code}")


def test_all_prefixes_and_spaced_codes_stay_valid(project: Path) -> None:
    settings(project, '[tool.idlint]\nselect = ["ALL"]\nextend-select = ["idl00"]\n'
                      'ignore = ["IDL9"]\nper-file-ignores = { "app/*" = [" IDL00 "], '
                      '"other/*" = ["ALL"] }\n')
    # " IDL00 " matches like it does in select and ignore (it used to match nothing)
    assert run().exit_code == 0


# ------------------------------------------------------------------------- cache-dir
# A cache-dir the settings name is checked where the cache is opened: one that cannot be
# used is a warning and the scan goes on without a cache (tests/test_hostile_cache_dir.py
# has every case); only a value that is not a path string is a settings error.

OUTSIDE = ("a cache folder outside the project can only be set on the command line "
           "(--cache-dir) or with the environment variable IDLINT_CACHE_DIR; scanning without "
           "cache")


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere"
    path.mkdir()
    return path


def assert_no_cache(result: Result, message: str) -> None:
    assert result.exit_code == 1, (result.output, result.exception)  # the finding
    assert "IDL001" in result.stdout
    assert result.stderr == f"idlint: warning: {message}\n"


def test_cache_dir_absolute_outside(project: Path, elsewhere: Path) -> None:
    settings(project, f"[tool.idlint]\ncache-dir = '{elsewhere}'\n")
    result = CliRunner().invoke(main, ["app"])
    assert_no_cache(result, f"cache folder {elsewhere} is outside the project "
                            f"({project.resolve()}); {OUTSIDE}")
    assert list(elsewhere.iterdir()) == []


def test_cache_dir_relative_outside(project: Path, elsewhere: Path) -> None:
    settings(project, "[tool.idlint]\ncache-dir = '../elsewhere/cache'\n")
    result = CliRunner().invoke(main, ["app"])
    assert_no_cache(result, f"cache folder {elsewhere / 'cache'} is outside the project "
                            f"({project.resolve()}); {OUTSIDE}")
    assert list(elsewhere.iterdir()) == []


def test_cache_dir_through_symlink_outside(project: Path, elsewhere: Path) -> None:
    (project / "link").symlink_to(elsewhere, target_is_directory=True)
    settings(project, "[tool.idlint]\ncache-dir = 'link/cache'\n")
    result = CliRunner().invoke(main, ["app"])
    assert_no_cache(result, f"cache folder {project / 'link' / 'cache'} is reached through "
                            "a symlink (link); scanning without cache")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("value", ["", 7, ["x"]])
def test_cache_dir_that_is_not_a_path_string(project: Path, value: object) -> None:
    settings(project, f"[tool.idlint]\ncache-dir = {json.dumps(value)}\n")
    assert_error(run(), f"{WHERE} 'cache-dir' must be a path string")


def test_cache_dir_inside_project_and_on_command_line_still_work(project: Path,
                                                                  elsewhere: Path) -> None:
    settings(project, "[tool.idlint]\ncache-dir = 'build/../.cache'\n")
    result = CliRunner().invoke(main, ["app"])
    assert result.exit_code == 1 and result.stderr == ""
    assert (project / ".cache" / "CACHEDIR.TAG").is_file()
    # the command line may point anywhere, and wins over the settings file (which is then
    # not looked at: no warning about it)
    settings(project, "[tool.idlint]\ncache-dir = '../elsewhere/x'\n")
    result = CliRunner().invoke(main, ["--cache-dir", str(elsewhere / "cli"), "app"])
    assert result.exit_code == 1 and result.stderr == ""
    assert (elsewhere / "cli" / "CACHEDIR.TAG").is_file()
    assert not (elsewhere / "x").exists()


# ------------------------------------------------------------------------- output modes


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_output_files_follow_the_umask(project: Path, umask: None, mask: int,
                                           expected: int) -> None:
    os.umask(mask)
    assert run("--format", "json", "--output", "report.json").exit_code == 1
    assert mode_of(project / "report.json") == expected
    assert run("--write-baseline", "base.json").exit_code == 0
    assert mode_of(project / "base.json") == expected
    # cache entries stay private: the temporary file's 0600
    write_atomic(project / "entry.pickle", b"x", durable=False)
    assert mode_of(project / "entry.pickle") == 0o600


def test_replaced_output_files_keep_their_mode(project: Path, umask: None) -> None:
    os.umask(0o022)
    for name in ("report.json", "base.json"):
        (project / name).write_text("old")
        (project / name).chmod(0o640)
    assert run("--format", "json", "--output", "report.json").exit_code == 1
    assert run("--write-baseline", "base.json").exit_code == 0
    for name in ("report.json", "base.json"):
        assert mode_of(project / name) == 0o640
        assert (project / name).read_text() != "old"
