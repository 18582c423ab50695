"""Which files discovery keeps: excludes match relative to the root, each .gitignore relative
to its own folder (its parents' apply too, up to the root or a repository's top)."""

from __future__ import annotations

from pathlib import Path

from idlint.config import Config
from idlint.files import discover


def test_excludes_and_nested_gitignores_match_relative_to_their_folders(
        tmp_path: Path) -> None:
    files = ["app/views.py", "app/gen_views.py", "app/sub/gen_x.py", "app/sub/keep.py",
             "build/out.py", "app/build/out.py", "docs/conf.py", "docs/api/conf.py",
             "scratch/a.py", "app/scratch/b.py", "lib/vendored.py", "top.py"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x = 1\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("/build/\nvendored.py\n", encoding="utf-8")
    (tmp_path / "app" / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    # (each file applies on its own: a child's negation does not undo its parent's match)
    (tmp_path / "app" / "sub" / ".gitignore").write_text("!gen_x.py\nkeep.py\n",
                                                         encoding="utf-8")
    config = Config(root=tmp_path, exclude=("scratch", "docs/*.py"))
    found = [f.relpath for f in discover([tmp_path], config)]
    assert found == ["app/build/out.py", "app/views.py", "docs/api/conf.py", "top.py"]
    # a folder named directly: the excludes still match relative to the root
    assert [f.relpath for f in discover([tmp_path / "app"], config)] == [
        "app/build/out.py", "app/views.py"]
