"""Files that try to break the scan: each becomes a diagnostic or is analysed; never a crash,
and never the end of the scan of the other files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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


def scan_dir(root: Path, jobs: int = 1) -> list[tuple[str, int, int, str]]:
    report = scan([root], Config(root=root), jobs=jobs, use_cache=False)
    return [(f.location.path, f.location.line, f.location.column, f.code)
            for f in report.findings]


def write(root: Path, name: str, data: bytes | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


LEAK_FINDING = ("leak.py", 7, 32, "IDL001")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("python2.py", b"print 'hi'\n", [("python2.py", 1, 1, "IDL901")]),
        ("bad_utf8.py", b"x = '\xc3\x28'\n", [("bad_utf8.py", 1, 1, "IDL901")]),
        ("nul.py", b"x = 1\x00\n", [("nul.py", 1, 1, "IDL901")]),
        ("tabs.py", b"if x:\n\tif y:\n        pass\n", [("tabs.py", 3, 1, "IDL901")]),
        ("empty.py", b"", []),
        ("latin1.py", "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"), []),
        ("bom.py", b"\xef\xbb\xbfx = 1\n", []),
        ("newsyntax.py", b"type Point = tuple[float, float]\ndef f[T](x: T) -> T:\n"
                         b"    return x\nprint(f\"{'a' + f'{1}'}\")\n", []),
        ("deep.py", b"x = " + b"(" * 3000 + b"1" + b")" * 3000 + b"\n", "any-diagnostic"),
        ("calls.py", b"x = " + b"f(" * 3000 + b"1" + b")" * 3000 + b"\n", "any-diagnostic"),
        ("longline.py", b"x = [" + b"1, " * 350_000 + b"]\n", []),
    ],
)
def test_hostile_file_does_not_stop_the_scan(tmp_path: Path, name: str, data: bytes,
                                             expected: list | str) -> None:
    write(tmp_path, "leak.py", LEAK)
    write(tmp_path, name, data)
    found = scan_dir(tmp_path)
    assert LEAK_FINDING in found
    others = [f for f in found if f != LEAK_FINDING]
    if expected == "any-diagnostic":
        # deep nesting is either analysed or reported, never a crash
        assert all(f[3] in ("IDL901", "IDL903") for f in others)
    else:
        assert others == expected


def test_crlf_files_report_correct_lines(tmp_path: Path) -> None:
    write(tmp_path, "leak.py", LEAK.replace("\n", "\r\n").encode())
    assert scan_dir(tmp_path) == [LEAK_FINDING]


def test_directory_named_like_a_module_and_symlink_loop(tmp_path: Path) -> None:
    write(tmp_path, "leak.py", LEAK)
    (tmp_path / "weird.py").mkdir()
    write(tmp_path, "weird.py/inner.py", "x = 1\n")
    os.symlink(tmp_path, tmp_path / "loop")
    assert scan_dir(tmp_path) == [LEAK_FINDING]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    write(tmp_path, "leak.py", LEAK)
    secret = write(tmp_path, "secret.py", "x = 1\n")
    secret.chmod(0)
    try:
        assert scan_dir(tmp_path) == [("secret.py", 1, 1, "IDL902"), LEAK_FINDING]
    finally:
        secret.chmod(0o644)


def test_file_that_vanishes_during_the_scan(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import idlint.api as api

    write(tmp_path, "leak.py", LEAK)
    gone = write(tmp_path, "gone.py", "x = 1\n")
    original = api.discover

    def discover_then_delete(paths, config):  # type: ignore[no-untyped-def]
        files = original(paths, config)
        gone.unlink()
        return files

    monkeypatch.setattr(api, "discover", discover_then_delete)
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    codes = [(f.location.path, f.code) for f in report.findings]
    assert codes == [("gone.py", "IDL902"), ("leak.py", "IDL001")]
    assert report.failures[0].reason == "cannot read file: No such file or directory"


def test_scanned_code_is_never_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    write(tmp_path, "evil.py", f"open({str(marker)!r}, 'w').write('x')\n")
    write(tmp_path, "__init__.py", f"open({str(marker)!r}, 'w').write('x')\n")
    scan_dir(tmp_path)
    assert not marker.exists()


def test_same_report_whatever_the_process_count(tmp_path: Path) -> None:
    for i in range(30):  # enough files to use the process pool
        write(tmp_path, f"pkg/m{i:02}.py", LEAK.replace("Member", f"Club{i:02}Member"))
    serial = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    parallel = scan([tmp_path], Config(root=tmp_path), jobs=2, use_cache=False)
    assert serial.findings == parallel.findings
    assert len(serial.findings) == 30


def test_per_file_time_limit(tmp_path: Path) -> None:
    # The small file is analysed first: the abandoned analysis of the big one goes on in
    # the background and would slow down whatever comes after it.
    write(tmp_path, "a_leak.py", LEAK)
    # about a second to parse: far over a 0.05 s limit, fast enough not to burden the suite
    write(tmp_path, "big.py", "x = [\n" + "    {'a': (1, 2, [3, 4])},\n" * 20000 + "]\n")
    report = scan([tmp_path], Config(root=tmp_path, file_timeout=0.05), jobs=1,
                  use_cache=False)
    found = [(f.location.path, f.code) for f in report.findings]
    assert found == [("a_leak.py", "IDL001"), ("big.py", "IDL903")]
    assert report.failures[0].reason == (
        "internal error: analysis took longer than 0.05 s (file-timeout); the file was skipped")
