"""An emulated network link (app.bench.link) in a process of its own, for a test that keeps its
own process busy: prints the link's URL, and serves until its standard input closes.

python -m tests.link_child TARGET_URL RTT_MS KBPS
"""

from __future__ import annotations

import sys

from app.bench.link import EmulatedLink

if __name__ == "__main__":
    link = EmulatedLink(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
    print(link.url, flush=True)
    sys.stdin.read()
    link.close()
