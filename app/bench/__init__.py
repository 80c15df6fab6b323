"""Benchmarks behind `prelude bench ...`: each prints JSON with a same-run baseline."""
