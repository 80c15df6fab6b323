"""Secrets only in the keyring: after a full session (add a server, sync, play its tracks,
a training, with debug logging on), the password, every token and salt the server was sent, and
the hex form of the password appear nowhere in the data dir, the config, the cache, the logs or
any process's arguments. The same for an API key."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.bench.supysonic_server import PASSWORD, USER
from tests.cli import PRELUDE, prelude_env
from tests.fake_subsonic import FakeSubsonic, make_songs
from tests.fault_proxy import FaultProxy

pytestmark = pytest.mark.reliability


def _run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """`prelude -v ARGS`, its arguments checked while it runs."""
    command = [PRELUDE, "--verbose", *args]
    process = subprocess.Popen(command, env=prelude_env(data), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with open(f"/proc/{process.pid}/cmdline", "rb") as running:
        arguments = running.read()
    out, err = process.communicate(stdin, timeout=180)
    return subprocess.CompletedProcess(command, process.returncode, out, err + "\0" +
                                       arguments.decode(errors="replace"))


def _secrets_seen(requests: list[tuple[str, dict]]) -> set[str]:
    """What the server was sent that would let someone log in: tokens, salts, hex passwords."""
    found = set()
    for _, query in requests:
        for key in ("t", "s", "p", "apiKey"):
            if query.get(key):
                found.add(query[key])
                found.add(query[key].removeprefix("enc:"))
    return {secret for secret in found if len(secret) >= 6}


def _leaks(places: list[Path], logs: str, secrets: set[str]) -> list[str]:
    leaks = [secret for secret in secrets if secret in logs]
    for root in places:
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                leaks += [f"{path}: {secret}" for secret in secrets if secret.encode() in data]
    return leaks


def test_a_full_session_leaves_the_password_and_tokens_only_in_the_keyring(
        tmp_path, subsonic, test_keyring):
    proxy = FaultProxy(subsonic.url)  # a recorder here: what the app sends the server
    data = tmp_path / "data"
    try:
        logs = []
        for args, stdin in ((("server", "add", "home", proxy.url, "--user", USER,
                              "--password-stdin"), PASSWORD + "\n"),
                            (("sync",), ""), (("sync", "--full"), ""),
                            (("play", "remote", "--headless", "--audio-out",
                              str(tmp_path / "out.wav")), ""),
                            (("recommend", "--train", "--limit", "3"), ""),
                            (("history",), "")):
            done = _run(data, *args, stdin=stdin)
            assert done.returncode == 0, done.stderr[-2000:]
            logs.append(done.stdout + done.stderr)
    finally:
        proxy.close()
    secrets = _secrets_seen(proxy.requests) | {PASSWORD, PASSWORD.encode().hex()}
    assert any(method == "stream" for method, _ in proxy.requests)  # it did play from it
    assert len(secrets) >= 4  # supysonic: one token try, then the hex password (learnt)
    assert "DEBUG" in logs[1]  # the logs looked at are the most talkative ones
    assert _leaks([data], "\n".join(logs), secrets) == []
    assert PASSWORD in test_keyring.read_text()  # where it does belong


def test_an_api_key_stays_in_the_keyring(tmp_path, test_keyring):
    # The scriptable fake: no server that installs here offers apiKeyAuthentication.
    fake = FakeSubsonic(make_songs(5))
    fake.extensions = ["apiKeyAuthentication"]
    key = "k3y-0f-a-l1stener-9f8e7d6c5b4a"
    data = tmp_path / "data"
    try:
        added = _run(data, "server", "add", "keyed", fake.url, "--user", "me",
                     "--api-key-stdin", stdin=key + "\n")
        assert added.returncode == 0, added.stderr[-2000:]
        synced = _run(data, "sync")
        assert synced.returncode == 0, synced.stderr[-2000:]
    finally:
        fake.close()
    assert any(params.get("apiKey") == key for params in fake.params)
    assert _leaks([data], added.stderr + added.stdout + synced.stderr + synced.stdout,
                  {key}) == []
    assert key in test_keyring.read_text()
