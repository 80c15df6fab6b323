"""What packagers rely on: the desktop files validate, icons exist at every size, the wheel
carries every resource, and `prelude --self-test` passes or names what is broken."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.cli import PRELUDE, prelude_env

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
APP_ID = "org.prelude.Player"


def _tool(name: str) -> str:
    from shutil import which

    path = which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run 'bash .ci/setup --dev'")
    return path


def test_the_desktop_entry_validates_and_starts_prelude():
    entry = RESOURCES / "desktop" / f"{APP_ID}.desktop"
    done = subprocess.run([_tool("desktop-file-validate"), str(entry)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    text = entry.read_text(encoding="utf-8")
    assert "Exec=prelude %U" in text and f"Icon={APP_ID}" in text


def test_the_metainfo_validates_with_screenshots_and_release_notes():
    metainfo = RESOURCES / "desktop" / f"{APP_ID}.metainfo.xml"
    done = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", str(metainfo)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = metainfo.read_text(encoding="utf-8")
    assert "<screenshot type=\"default\">" in text and "<release version=\"0.1.0\"" in text
    from app import __version__

    assert f'<release version="{__version__}"' in text  # release notes for this version


def test_icons_exist_at_every_size():
    from PySide6.QtGui import QImage

    assert (RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").exists()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)


def test_the_wheel_carries_every_resource_and_migration(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(tmp_path), str(ROOT)], check=True, timeout=300,
                   capture_output=True)
    [wheel] = tmp_path.glob("prelude_player-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"resources/{p.relative_to(RESOURCES).as_posix()}" for p in RESOURCES.rglob("*")
               if p.is_file() and p.suffix in {".svg", ".png", ".desktop", ".xml"}}
    assert shipped and shipped <= names, sorted(shipped - names)
    migrations = {f"app/store/migrations/{p.name}"
                  for p in (ROOT / "app" / "store" / "migrations").glob("*.sql")}
    assert migrations <= names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_self_test_passes_in_one_line(tmp_path):
    done = subprocess.run([PRELUDE, "--self-test"], env=prelude_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith("Prelude ") and "self-test passed" in line
    for part in ("resources ok", "database ok", "audio ok (440 Hz tone decoded by libvlc",
                 "recommender ok"):
        assert part in line
    assert "PortAudio V19" in line  # the gapless output's library is there (setup installs it)
    assert not any(tmp_path.iterdir())  # a temporary profile, not the user's


def test_self_test_names_the_broken_part(tmp_path):
    env = {**prelude_env(tmp_path), "PYTHON_VLC_LIB_PATH": str(tmp_path / "no-libvlc.so")}
    done = subprocess.run([PRELUDE, "--self-test"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Prelude self-test FAILED: audio: VLC (libvlc) is not installed" in done.stderr
    assert "Traceback" not in done.stderr
