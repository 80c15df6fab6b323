#!/usr/bin/env bash
# Linux: the PyInstaller one-folder bundle in build/dist/prelude, then its self-test.
# Verified here (Debian 12): CI runs this script. Uses the system's libvlc and PortAudio at run time.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -x .venv/bin/python ] || bash .ci/setup
.venv/bin/python -c 'import PyInstaller' 2>/dev/null \
  || .venv/bin/python -m pip install -q --disable-pip-version-check 'pyinstaller==6.22.3'
rm -rf build/dist/prelude build/work
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work \
  packaging/prelude.spec
build/dist/prelude/prelude --version
report=$(build/dist/prelude/prelude --self-test)
echo "$report"
# The bundle must carry sounddevice and rtmixer (the output's C callback); sounddevice finds
# the system's PortAudio (libportaudio2).
case "$report" in *"no PortAudio"*) echo "bundle: PortAudio not found from the bundle" >&2; exit 1;; esac
echo "bundle: build/dist/prelude ($(du -sh build/dist/prelude | cut -f1))"
