"""Every test gets its own per-user configuration folder, so the cache key that scans create
there (see idlint/keys.py) never lands in the real home of whoever runs the suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _user_config_home(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.getbasetemp() / "user-config"
    home.mkdir(exist_ok=True, mode=0o700)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    yield home
