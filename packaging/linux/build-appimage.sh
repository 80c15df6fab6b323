#!/usr/bin/env bash
# Linux: an AppImage around the PyInstaller one-folder bundle.
# The bundle uses the system's libvlc (libvlc5 + vlc-plugin-base on Debian/Ubuntu, vlc-libs on
# Fedora, vlc on Arch); the AppImage says so when it is missing, as `prelude` does. It also uses
# the system's PortAudio (libportaudio2 / portaudio) for gapless output, else libvlc's output.
# Needs: bash .ci/setup, then appimagetool on PATH (https://github.com/AppImage/appimagetool;
# this machine cannot download it, so only the AppDir below is verified here, not the AppImage).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash packaging/linux/build-bundle.sh
appdir=build/Prelude.AppDir
rm -rf "$appdir"
mkdir -p "$appdir/usr/lib" "$appdir/usr/share/applications" "$appdir/usr/share/metainfo"
cp -a build/dist/prelude "$appdir/usr/lib/prelude"
cp -a resources/icons "$appdir/usr/share/icons"
cp resources/desktop/org.prelude.Player.desktop "$appdir/usr/share/applications/"
cp resources/desktop/org.prelude.Player.metainfo.xml "$appdir/usr/share/metainfo/"
cp resources/desktop/org.prelude.Player.desktop "$appdir/"
cp resources/icons/hicolor/256x256/apps/org.prelude.Player.png "$appdir/org.prelude.Player.png"
cat > "$appdir/AppRun" <<'RUN'
#!/bin/sh
here="$(dirname "$(readlink -f "$0")")"
exec "$here/usr/lib/prelude/prelude" "$@"
RUN
chmod +x "$appdir/AppRun"
"$appdir/AppRun" --self-test
if command -v appimagetool >/dev/null; then
  version=$(.venv/bin/python -c 'import app; print(app.__version__)')
  ARCH=$(uname -m) appimagetool "$appdir" "build/Prelude-$version-$(uname -m).AppImage"
else
  echo "appimagetool not found: the AppDir is ready in $appdir" >&2
fi
