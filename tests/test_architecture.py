"""The layout rules, checked: app/ never imports Qt, each library is imported in one module."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def test_core_never_imports_qt_or_the_ui():
    offenders = {str(p.relative_to(REPO)): sorted(_imports(p) & {"PySide6", "shiboken6", "ui"})
                 for p in _modules("app")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_each_third_party_library_is_imported_in_one_module():
    owners = {"vlc": "app/playback/vlc_engine.py", "sqlite_utils": "app/store/database.py",
              "mutagen": "app/library/tags.py", "requests": "app/catalog/client.py",
              "keyring": "app/catalog/secrets.py", "lightfm": "app/recommend/lightfm_model.py",
              "implicit": "app/recommend/evaluation/baselines.py",
              "PIL": "app/library/demo_covers.py", "pyebur128": "app/loudness/measure.py"}
    for library, owner in owners.items():
        users = [str(p.relative_to(REPO)) for p in _modules("app") + _modules("ui")
                 if library in _imports(p)]
        assert users == [owner], library


SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b"
                 r"|\.execute(many)?\(|\bdb\.(query|scalar)\(")


# The test server's own database (supysonic's, not Prelude's) is set up by SQL of its own.
NOT_PRELUDES_DATABASE = {"app/bench/supysonic_server.py"}


def test_sql_lives_only_in_the_store():
    """app/store/ owns the SQL: sync, outbox, history import, the recommender and the window
    ask it through named functions."""
    offenders = [f"{p.relative_to(REPO)}:{number}" for p in _modules("ui") + _modules("app")
                 if not str(p.relative_to(REPO)).startswith("app/store/")
                 and str(p.relative_to(REPO)) not in NOT_PRELUDES_DATABASE
                 for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if SQL.search(line)]
    assert offenders == []


def test_every_setting_is_declared_once_and_named_nowhere_else():
    """Keys, defaults and bounds live in app/settings.py; everyone else reads and writes a
    declared Setting through the store (which has no other way in)."""
    from app import settings
    from app.store.settings_store import SettingsStore

    keys = [setting.key for setting in settings.EVERY]
    assert len(keys) == len(set(keys))
    assert all(setting.why and setting.accepts(setting.default) for setting in settings.EVERY)
    assert {name for name in vars(SettingsStore) if not name.startswith("_")} == {"read", "write"}
    spelled = re.compile("|".join(re.escape(f'"{key}"') for key in keys) + r'|"catalog\.sync\.')
    offenders = [str(path.relative_to(REPO)) for folder in ("app", "ui") for path in _modules(folder)
                 if path != REPO / "app" / "settings.py" and spelled.search(path.read_text("utf-8"))]
    assert offenders == []


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff is a dev dependency: run 'bash .ci/setup --dev'"
    result = subprocess.run([ruff, "check", "app", "ui", "tests", "packaging"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
