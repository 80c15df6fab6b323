"""Offline evaluation on tab-separated interaction files, with baselines in the same run."""
