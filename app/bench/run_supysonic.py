"""Serves supysonic on a free loopback port and prints the port once it is listening.

Run by app/bench/supysonic_server.py as `python -m app.bench.run_supysonic WORKDIR`; reading that line is
the start-up event the tests wait for (no polling).
"""

import sys

import waitress
from supysonic.config import IniConfig
from supysonic.web import create_application


def main() -> None:
    config = IniConfig([f"{sys.argv[1]}/supysonic.conf"])
    app = create_application(config)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    print(server.effective_port, flush=True)
    server.run()


if __name__ == "__main__":
    main()
