#!/usr/bin/env bash
# macOS: build Prelude.app with PyInstaller, bundling VLC's libvlc and plugins, then a .dmg.
# Needs: macOS 11+, Python 3.11, VLC.app installed (https://www.videolan.org), Xcode command
# line tools (iconutil, hdiutil). NOT verified here: written and reviewed on Linux.
set -euo pipefail
cd "$(dirname "$0")/../.."

VLC_APP=${VLC_APP:-/Applications/VLC.app}
export VLC_DIR="$VLC_APP/Contents/MacOS"
[ -d "$VLC_DIR/plugins" ] || { echo "VLC not found at $VLC_APP (set VLC_APP)" >&2; exit 1; }

python3.11 -m venv .venv
.venv/bin/pip install -q -e '.[packaging]'

# The icon: PNG sizes from resources/ into an .icns.
iconset=build/prelude.iconset
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
  cp "resources/icons/hicolor/${size}x${size}/apps/org.prelude.Player.png" "$iconset/icon_${size}x${size}.png"
done
for size in 16 128 256; do
  double=$((size * 2))
  cp "resources/icons/hicolor/${double}x${double}/apps/org.prelude.Player.png" "$iconset/icon_${size}x${size}@2x.png"
done
iconutil -c icns -o build/prelude.icns "$iconset"

.venv/bin/pyinstaller --noconfirm --distpath build/dist --workpath build/work packaging/prelude.spec
build/dist/Prelude.app/Contents/MacOS/prelude --self-test

version=$(.venv/bin/python -c 'import app; print(app.__version__)')
rm -f "build/Prelude-$version.dmg"
hdiutil create -volname Prelude -srcfolder build/dist/Prelude.app -ov -format UDZO "build/Prelude-$version.dmg"
echo "built build/Prelude-$version.dmg"
