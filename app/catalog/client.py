"""An OpenSubsonic API client on requests. requests is imported here and nowhere else.

One Session per server (connection pooling), timeouts on every call, retries with backoff for
idempotent reads only, bounded response sizes, and every failure turned into a CatalogError whose
text can be shown as it is. Passwords and tokens never reach a log: urllib3's request logging
(which prints query strings) is kept at ERROR.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ProtocolError
from urllib3.util.retry import Retry

from app import APP_NAME
from app.catalog.parse import ServerRefused, body, clean_text
from app.errors import CatalogError, ServerUnreachableError

# urllib3 logs request URLs, query string (token, salt, password) included: the command line
# installs app/log_redaction.py on every log handler, so they are blanked (--verbose shows them).

API_VERSION = "1.16.1"
CLIENT_ID = APP_NAME.lower()
# JSON answers above this are refused before they are read: parsing holds the GIL (about
# 60 ms for 50 MB), which the window would feel. 16 MB is some 40,000 songs in one answer.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# A whole answer must arrive within this many timeouts: the timeout alone is per read, and a
# server trickling a byte at a time would otherwise hold a call (and a sync) forever.
WHOLE_ANSWER_TIMEOUTS = 6
# A download slower than this over a window of 3 timeouts is a server that is not really
# sending (a trickle); no audio file plays at 4 KB/s, so no real link is cut off by it.
MIN_DOWNLOAD_BYTES_PER_S = 4096
# How the secret travels: a salted md5 token, the hex password (`enc:`), or an OpenSubsonic
# API key (the apiKeyAuthentication extension) in place of user and password.
TOKEN, HEX, API_KEY = "token", "hex", "apikey"
API_KEY_EXTENSION = "apiKeyAuthentication"
NOT_IDEMPOTENT = frozenset({"scrobble", "createShare", "createBookmark", "createInternetRadioStation"})


@dataclass(frozen=True)
class ServerInfo:
    api_version: str
    server_type: str = ""
    server_version: str = ""
    open_subsonic: bool = False
    extensions: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        name = " ".join(part for part in (self.server_type, self.server_version) if part)
        kind = "OpenSubsonic" if self.open_subsonic else "Subsonic"
        text = f"{name or 'A server'} speaking {kind} API {self.api_version}"
        if self.extensions:
            text += f"; extensions: {', '.join(self.extensions)}"
        return text


def check_base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CatalogError(f"“{url}” is not an http(s) address of a server.")
    return url.strip().rstrip("/")


class SubsonicClient:
    def __init__(self, name: str, url: str, user: str, password: str, auth: str | None = None,
                 verify: bool | str = True, timeout: float = 20.0):
        self.name = name
        self.base_url = check_base_url(url)
        self.user = user
        self._password = password
        self.auth = auth  # None: not known yet; found out on the first call
        self._extensions: dict[str, frozenset[int]] | None = None  # name: versions, asked once
        self.timeout = timeout
        self.session = requests.Session()
        # True, or the path of a pinned certificate. Passed on every request: a Session-level
        # setting loses to REQUESTS_CA_BUNDLE in the environment (psf/requests#3829).
        self.verify = verify
        self.session.headers["User-Agent"] = f"{APP_NAME}/{CLIENT_ID}"
        # Reads are retried once (a reset mid-body); a server that is merely slow is not asked
        # three times over.
        retry = Retry(total=3, connect=3, read=1, backoff_factor=0.3,
                      status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET"}),
                      raise_on_status=False)  # the last answer is reported in words below
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=8)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Calls that change something each time (a scrobble, a new playlist) are retried only
        # when the request never reached the server: a retry must not make a second one.
        self.once_session = requests.Session()
        self.once_session.headers.update(self.session.headers)
        once = HTTPAdapter(max_retries=Retry(total=2, connect=2, read=0, status=0, other=0,
                                             backoff_factor=0.3, raise_on_status=False))
        self.once_session.mount("http://", once)
        self.once_session.mount("https://", once)

    def handover(self) -> tuple:
        """The arguments that make this client again in another of Prelude's processes (the
        stream proxy's), handed over a pipe: never written anywhere."""
        return (self.name, self.base_url, self.user, self._password, self.auth, self.verify,
                self.timeout)

    def __repr__(self) -> str:  # never shows the password
        return f"SubsonicClient({self.name!r}, {self.base_url!r}, user={self.user!r})"

    # -- authentication -----------------------------------------------------------------------
    def _auth_params(self, mode: str) -> dict[str, str]:
        if mode == API_KEY:
            return {"apiKey": self._password, "v": API_VERSION, "c": CLIENT_ID, "f": "json"}
        params = {"u": self.user, "v": API_VERSION, "c": CLIENT_ID, "f": "json"}
        if mode == HEX:
            params["p"] = "enc:" + self._password.encode("utf-8").hex()
        else:
            salt = secrets.token_hex(8)
            params["t"] = hashlib.md5((self._password + salt).encode("utf-8")).hexdigest()
            params["s"] = salt
        return params

    # -- calls --------------------------------------------------------------------------------
    def call(self, method: str, key: str | None = None, **params) -> dict:
        """GET /rest/<method> and return the response's `key` object (or the whole response)."""
        if self.auth is not None:
            return body(self._json(method, {**params, **self._auth_params(self.auth)}), key)
        try:
            result = body(self._json(method, {**params, **self._auth_params(TOKEN)}), key)
            self.auth = TOKEN
            return result
        except ServerRefused as refused:
            # Servers that cannot check tokens (LDAP-backed ones, supysonic) refuse them, some
            # with 41, some as a missing parameter (10): fall back to the hex password once.
            if refused.code not in (10, 41, 42):
                raise
        result = body(self._json(method, {**params, **self._auth_params(HEX)}), key)
        self.auth = HEX
        return result

    def _known_auth(self) -> str:
        """How this server takes the login, asked once with a ping when not known yet: the
        binary calls cannot fall back on their own (a server that refuses tokens answers them
        with an error, not a retry)."""
        if self.auth is None:
            self.call("ping")
        return self.auth or TOKEN

    def download(self, method: str, max_bytes: int, **params) -> tuple[bytes, str]:
        """Binary answers (cover art): the bytes and their content type. A JSON answer here is
        the server's error, raised in words."""
        data, content_type = self._get(method, {**params, **self._auth_params(self._known_auth())},
                                       max_bytes)
        if content_type.startswith(("application/json", "text/")):
            body(self._parse(data))
            raise CatalogError(f"{self.name} sent text where a picture was expected.")
        return data, content_type

    def _json(self, method: str, params: dict) -> object:
        return self._parse(self._get(method, params)[0])

    def _parse(self, data: bytes) -> object:
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as error:
            raise CatalogError(f"{self.name} ({self.base_url}) answered something that is not a "
                               "JSON response (is this the right address?).") from error

    def _get(self, method: str, params: dict, max_bytes: int | None = None) -> tuple[bytes, str]:
        limit = max_bytes or MAX_RESPONSE_BYTES
        url = f"{self.base_url}/rest/{method}.view"
        where = f"{self.name} ({self.base_url})"
        try:
            once = method in NOT_IDEMPOTENT or (method == "createPlaylist"
                                                and "playlistId" not in params)
            session = self.once_session if once else self.session
            with session.get(url, params=params, timeout=self.timeout, stream=True,
                             allow_redirects=False, verify=self.verify) as response:
                if response.is_redirect:
                    raise CatalogError(f"{where} redirected elsewhere; check the server address.")
                if response.status_code != 200:
                    raise CatalogError(f"{where} answered HTTP {response.status_code} "
                                       f"{clean_text(response.reason, 80)}.")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise CatalogError(f"{where} sent an answer too large to accept.")
                content_type = response.headers.get("Content-Type", "").lower()
                data = bytearray()
                deadline = time.monotonic() + WHOLE_ANSWER_TIMEOUTS * self.timeout
                # read1: whatever has arrived, so the deadline is checked even on a trickle
                while chunk := response.raw.read1(64 * 1024, decode_content=True):
                    data += chunk
                    if len(data) > limit:
                        raise CatalogError(f"{where} sent an answer too large to accept.")
                    if time.monotonic() > deadline:
                        raise CatalogError(f"{where} is sending its answer too slowly "
                                           f"(not finished after {deadline_s(self.timeout)}).")
        except requests.exceptions.SSLError as error:
            raise CatalogError(f"{where}: the TLS certificate could not be verified ({_reason(error)}). "
                               "Pin the server's certificate if you trust it.") from error
        except requests.exceptions.Timeout as error:
            raise ServerUnreachableError(f"{where} did not answer within {self.timeout:.0f} s.") from error
        except requests.exceptions.ConnectionError as error:
            if "Read timed out" in str(error):  # requests reports a retried timeout this way
                raise ServerUnreachableError(
                    f"{where} did not answer within {self.timeout:.0f} s.") from error
            raise ServerUnreachableError(f"Could not reach {where}: {_reason(error)}.") from error
        except requests.exceptions.RequestException as error:
            raise CatalogError(f"Talking to {where} failed: {_reason(error)}.") from error
        except (ProtocolError, OSError) as error:  # raw reads report a broken answer this way
            raise CatalogError(f"{where} broke off its answer: {_reason(error)}.") from error
        return bytes(data), content_type

    # -- what we ask for ----------------------------------------------------------------------
    def extensions(self) -> frozenset[str]:
        """The OpenSubsonic extensions the server lists, asked once: a server that refuses the
        question has none (its answer stands); one that cannot be reached raises, and is asked
        again next time."""
        return frozenset(self._listed_extensions())

    def offers(self, extension: str, version: int = 1) -> bool:
        """Whether the server lists that OpenSubsonic extension in that version (a server that
        cannot be reached raises, as extensions() does)."""
        return version in self._listed_extensions().get(extension, ())

    def _listed_extensions(self) -> dict[str, frozenset[int]]:
        if self._extensions is None:
            try:
                listed = self.call("getOpenSubsonicExtensions").get("openSubsonicExtensions", [])
            except ServerRefused:
                listed = []
            found: dict[str, frozenset[int]] = {}
            for item in listed if isinstance(listed, list) else ():
                if isinstance(item, dict):
                    versions = item.get("versions")
                    versions = versions if isinstance(versions, list) else []
                    found[clean_text(item.get("name"), 60)] = frozenset(
                        v for v in versions if isinstance(v, int) and not isinstance(v, bool))
            self._extensions = found
        return self._extensions

    def ping(self) -> ServerInfo:
        response = self.call("ping")
        extensions: tuple[str, ...] = ()
        open_subsonic = response.get("openSubsonic") is True
        if open_subsonic:
            try:
                listed = self.call("getOpenSubsonicExtensions").get("openSubsonicExtensions", [])
                extensions = tuple(clean_text(e.get("name"), 60) for e in listed
                                   if isinstance(e, dict))
            except CatalogError:
                extensions = ()
        return ServerInfo(api_version=clean_text(response.get("version"), 20),
                          server_type=clean_text(response.get("type"), 40),
                          server_version=clean_text(response.get("serverVersion"), 40),
                          open_subsonic=open_subsonic, extensions=extensions)

    def stream_url(self, song_id: str, max_bitrate_kbps: int | None = None,
                   fmt: str | None = None) -> str:
        """A signed URL for VLC, built at play time; never stored, never logged."""
        params: dict[str, str] = {"id": song_id}
        if max_bitrate_kbps:
            params["maxBitRate"] = str(int(max_bitrate_kbps))
        if fmt:
            params["format"] = fmt
        params.update(self._auth_params(self._known_auth()))
        return f"{self.base_url}/rest/stream.view?{urlencode(params)}"

    def open_download(self, song_id: str, start: int = 0, chunk_size: int = 256 * 1024,
                      fmt: str | None = None, max_bitrate_kbps: int | None = None
                      ) -> tuple[Iterator[bytes], int | None, bool]:
        """The original file (or, given fmt / max_bitrate_kbps, the server's transcoding) from
        byte `start`, as (chunks, total size, resumed). Redirects are refused, never followed.

        resumed is False when the server ignored the Range and sends the whole file again."""
        params = {"id": song_id, "format": fmt or "raw", **self._auth_params(self._known_auth())}
        if max_bitrate_kbps:
            params["maxBitRate"] = str(int(max_bitrate_kbps))
        headers = {"Accept-Encoding": "identity"}  # byte counts must be the file's own
        if start:
            headers["Range"] = f"bytes={start}-"
        where = f"{self.name} ({self.base_url})"
        try:
            response = self.session.get(f"{self.base_url}/rest/stream.view", params=params,
                                        headers=headers, timeout=self.timeout, stream=True,
                                        allow_redirects=False, verify=self.verify)
        except requests.exceptions.RequestException as error:
            raise ServerUnreachableError(f"Could not download from {where}: {_reason(error)}.") from error
        if response.status_code == 416:  # asked from its end or past it: nothing more to send
            response.close()
            return iter(()), _range_total(response.headers.get("Content-Range", "")), True
        if response.status_code not in (200, 206):
            response.close()
            raise CatalogError(f"{where} answered HTTP {response.status_code} to a download.")
        if response.headers.get("Content-Type", "").startswith(("application/json", "text/")):
            data = response.content[:65536]
            body(self._parse(data))
            raise CatalogError(f"{where} sent text where audio was expected.")
        resumed = response.status_code == 206
        total = None
        if resumed:
            total = _range_total(response.headers.get("Content-Range", ""))
        elif (response.headers.get("Content-Length") or "").isdigit():
            total = int(response.headers["Content-Length"])

        def chunks() -> Iterator[bytes]:
            window_s = 3 * self.timeout
            window_start, window_bytes = time.monotonic(), 0
            try:
                # read1: hand on whatever has arrived (iter_content would wait for a full
                # chunk, holding back a track that is being played as it comes in).
                while data := response.raw.read1(chunk_size):
                    yield data
                    window_bytes += len(data)
                    elapsed = time.monotonic() - window_start
                    if elapsed >= window_s:
                        if window_bytes < MIN_DOWNLOAD_BYTES_PER_S * elapsed:
                            raise CatalogError(f"{where} is sending too slowly "
                                               f"({window_bytes / elapsed:.0f} bytes/s).")
                        window_start, window_bytes = time.monotonic(), 0
            except (requests.exceptions.RequestException, OSError, ProtocolError) as error:
                raise CatalogError(f"The download from {where} broke off: "
                                   f"{_reason(error)}.") from error
            finally:
                response.close()

        return chunks(), total, resumed

    def close(self) -> None:
        self.session.close()
        self.once_session.close()


def _range_total(content_range: str) -> int | None:
    """The whole length a Content-Range states ("bytes 0-9/1234", "bytes */1234")."""
    total = content_range.rsplit("/", 1)[-1] if "/" in content_range else ""
    return int(total) if total.isdigit() else None


def deadline_s(timeout: float) -> str:
    return f"{WHOLE_ANSWER_TIMEOUTS * timeout:.0f} s"


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def _reason(error: Exception) -> str:
    """Why a request failed, in words, without the URL (which carries credentials)."""
    text = str(error)
    match = _ERRNO.search(text)
    if match:
        return match.group(1).strip().rstrip(".")
    for marker in ("Read timed out", "certificate verify failed", "Name or service not known",
                   "Connection refused", "Connection reset", "IncompleteRead"):
        if marker in text:
            return marker
    return type(error).__name__
