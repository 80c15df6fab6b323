"""Runtime hook: in a Windows or macOS bundle that carries its own VLC (a `vlc` folder beside
the executable's files), point python-vlc at it before it loads. On Linux the bundle carries no
VLC and the system's libvlc is used (install libvlc5 and vlc-plugin-base, or your distribution's
equivalent)."""

import os
import sys

_base = getattr(sys, "_MEIPASS", None)
if _base:
    _vlc = os.path.join(_base, "vlc")
    if os.path.isdir(_vlc):
        _library = {"win32": "libvlc.dll", "darwin": "libvlc.dylib"}.get(sys.platform, "libvlc.so.5")
        os.environ.setdefault("PYTHON_VLC_LIB_PATH", os.path.join(_vlc, _library))
        os.environ.setdefault("PYTHON_VLC_MODULE_PATH", os.path.join(_vlc, "plugins"))
        os.environ.setdefault("VLC_PLUGIN_PATH", os.path.join(_vlc, "plugins"))
        if sys.platform == "win32":
            os.add_dll_directory(_vlc)
