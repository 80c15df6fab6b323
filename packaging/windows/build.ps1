# Windows: build the one-folder bundle with PyInstaller (bundling VLC's libvlc and plugins),
# check it, then the installer with Inno Setup. NOT verified here: written and reviewed on Linux.
# Needs: Python 3.11 (python.org), VLC 3 (64-bit) installed, Inno Setup 6 (iscc.exe on PATH).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not $env:VLC_DIR) { $env:VLC_DIR = "C:\Program Files\VideoLAN\VLC" }
if (-not (Test-Path "$env:VLC_DIR\libvlc.dll")) { throw "VLC not found in $env:VLC_DIR (set VLC_DIR)" }

py -3.11 -m venv .venv
.venv\Scripts\pip install -q -e ".[packaging]" pillow
# The icon: PyInstaller wants an .ico; Pillow writes one from the 256 px PNG.
.venv\Scripts\python -c "from PIL import Image; Image.open('resources/icons/hicolor/256x256/apps/org.prelude.Player.png').save('build/prelude.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"
.venv\Scripts\pyinstaller --noconfirm --distpath build\dist --workpath build\work packaging\prelude.spec
build\dist\prelude\prelude.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
iscc packaging\windows\prelude.iss
