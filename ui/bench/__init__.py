"""The window benchmarks' probes: fresh processes that time the real window (launch, search)."""
