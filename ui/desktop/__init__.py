"""Fitting the desktop: MPRIS (media keys, desktop widgets), the tray icon, one instance."""
