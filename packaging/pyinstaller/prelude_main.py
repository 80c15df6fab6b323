"""The bundle's entry point: the same `prelude` command as the installed one."""

import sys

from ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
