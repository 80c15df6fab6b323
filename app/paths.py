"""Where Prelude keeps its data, cache and config.

Everything lives under one profile directory when ``--data-dir`` / ``PRELUDE_DATA_DIR`` is given
(every test uses that, so no test touches the real profile); otherwise the platform's usual places
from platformdirs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

DATA_DIR_ENV = "PRELUDE_DATA_DIR"


@dataclass(frozen=True)
class Profile:
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def database_path(self) -> Path:
        return self.data_dir / "library.db"

    @property
    def covers_dir(self) -> Path:
        return self.cache_dir / "covers"

    @property
    def server_covers_dir(self) -> Path:
        return self.cache_dir / "server-covers"

    @property
    def demo_library_dir(self) -> Path:
        return self.data_dir / "demo-library"

    def ensure(self) -> Profile:
        for directory in (self.data_dir, self.cache_dir, self.config_dir):
            directory.mkdir(parents=True, exist_ok=True)
        return self


def resolve_profile(data_dir: str | os.PathLike | None = None) -> Profile:
    """The profile for an explicit directory, the environment override, or the platform dirs."""
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Profile(data_dir=root, cache_dir=root / "cache", config_dir=root / "config")
    dirs = platformdirs.PlatformDirs(APP_NAME.lower(), appauthor=False)
    return Profile(
        data_dir=Path(dirs.user_data_dir),
        cache_dir=Path(dirs.user_cache_dir),
        config_dir=Path(dirs.user_config_dir),
    )


def default_music_dir() -> Path:
    return Path(platformdirs.user_music_dir())


def resource_file(*parts: str) -> Path:
    """A data file shipped with Prelude (resources/), wherever it is installed or bundled."""
    from importlib import resources  # noqa: PLC0415

    return Path(str(resources.files("resources").joinpath(*parts)))
