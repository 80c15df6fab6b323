"""TLS is verified by default; a self-signed server works only once its certificate is pinned."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.cli import PRELUDE, prelude_env, run_prelude
from tests.fake_subsonic import FakeSubsonic, make_songs

pytestmark = pytest.mark.reliability


@pytest.fixture
def https_server(tmp_path):
    openssl = shutil.which("openssl")
    assert openssl, "openssl is missing: run 'bash .ci/setup --dev'"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    server = FakeSubsonic(make_songs(10), tls=(str(cert), str(key)))
    yield server, cert
    server.close()


def _add(data, url, *extra):
    return subprocess.run([PRELUDE, "server", "add", "secure", url, "--user", "u",
                           "--password-stdin", *extra], input="pw\n", env=prelude_env(data),
                          capture_output=True, text=True, timeout=60)


def test_self_signed_is_refused_until_pinned(tmp_path, https_server):
    server, cert = https_server
    data = tmp_path / "data"
    refused = _add(data, server.url)
    assert refused.returncode == 1
    assert "TLS certificate could not be verified" in refused.stderr
    assert "Pin the server's certificate" in refused.stderr
    pinned = _add(data, server.url, "--certificate", str(cert))
    assert pinned.returncode == 0, pinned.stderr
    synced = run_prelude(data, "sync")
    assert synced.returncode == 0 and "10 songs" in synced.stdout
