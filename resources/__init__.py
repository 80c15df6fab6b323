"""Prelude's data files: icons, the desktop entry, AppStream metainfo, screenshots.

A package only so that they travel inside the wheel (and the PyInstaller bundle) and are found
with importlib.resources wherever Prelude is installed."""
