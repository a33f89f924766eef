"""A real, local OpenID Connect provider for the accounts tests.

`oidc_provider` starts the Node.js program in oidc_provider/ (the npm package oidc-provider) once
per test session and yields a `LocalProvider`: its issuer, the test client's credentials, the
accounts it knows, `sign_in()` to play the person at the provider's login form, and `tamper()` to
make the provider send broken ID tokens. Without node and npm the tests that use it are skipped
locally with a message, and fail in CI (CI=true), like the browser tests.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
START_TIMEOUT = 20.0

CLIENT_ID = "yhdyspinta-test"
REDIRECT_URIS = (
    "http://testserver/accounts/oidc/pirkanmaa/login/callback/",
    "http://testserver/sv/accounts/oidc/pirkanmaa/login/callback/",
)
ACCOUNTS = {
    "anna": {
        "sub": "anna-1",
        "email": "anna@pirkanmaa.example",
        "email_verified": True,
        "given_name": "Anna",
        "family_name": "Aaltonen",
        "name": "Anna Aaltonen",
    },
    "unverified": {
        "sub": "ulla-1",
        "email": "ulla@pirkanmaa.example",
        "email_verified": False,
        "given_name": "Ulla",
        "family_name": "Unverified",
        "name": "Ulla Unverified",
    },
    "outsider": {
        "sub": "olli-1",
        "email": "olli@elsewhere.example",
        "email_verified": True,
        "given_name": "Olli",
        "family_name": "Outsider",
        "name": "Olli Outsider",
    },
    "bertta": {
        "sub": "bertta-1",
        "email": "bertta@pirkanmaa.example",
        "email_verified": True,
        "given_name": "Bertta",
        "family_name": "Berg",
        "name": "Bertta Berg",
    },
}
TAMPER_MODES = ("none", "wrong_audience", "expired", "bad_signature", "wrong_issuer", "replay")
MAX_REDIRECTS = 10


@dataclass
class LocalProvider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    accounts: dict[str, dict]
    mode: str = field(default="none", init=False)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def on_issuer(self, url: str) -> bool:
        here, there = urlsplit(self.issuer), urlsplit(url)
        return (here.scheme, here.netloc) == (there.scheme, there.netloc)

    def tamper(self, mode: str) -> None:
        """Alter the ID token of the following token responses until set back to "none"."""
        assert mode in TAMPER_MODES, f"unknown tamper mode {mode!r}"
        response = httpx.post(f"{self.issuer}/__test__/tamper", json={"mode": mode}, timeout=5)
        assert response.status_code == 200 and response.json() == {"ok": True}, response.text
        self.mode = mode

    def sign_in(self, authorize_url: str, login: str) -> str:
        """Sign in as `login` at the provider and return the URL it sends the browser back to.

        That is the app's callback with `code` and `state` (or `error`): the first redirect
        that leaves the issuer. A fresh cookie jar each time, so no earlier session is reused.
        """
        with httpx.Client(follow_redirects=False, timeout=10) as client:
            response = client.get(authorize_url)
            response, left = self._follow(client, response)
            if left is not None:
                # The provider answered at once, e.g. with an error for the app.
                return left
            form_url = str(response.url)
            if response.status_code != 200 or 'name="login"' not in response.text:
                raise AssertionError(
                    f"expected the login form at {form_url}, got {response.status_code}:\n"
                    f"{response.text}"
                )
            action = self._form_action(response.text)
            response = client.post(urljoin(form_url, action), data={"login": login})
            response, left = self._follow(client, response)
            if left is None:
                raise AssertionError(
                    f"signing in as {login!r} did not lead back to the app: "
                    f"{response.status_code} at {response.url}:\n{response.text}"
                )
            return left

    def _follow(self, client: httpx.Client, response: httpx.Response):
        """Follow redirects within the issuer; return the last response and the first
        Location outside it (None while the provider keeps the browser)."""
        for _ in range(MAX_REDIRECTS):
            if not response.is_redirect:
                return response, None
            location = urljoin(str(response.url), response.headers["location"])
            if not self.on_issuer(location):
                return response, location
            response = client.get(location)
        raise AssertionError(f"more than {MAX_REDIRECTS} redirects at the provider")

    @staticmethod
    def _form_action(html: str) -> str:
        marker = 'action="'
        start = html.find(marker)
        if start < 0:
            raise AssertionError(f"no form action in the login page:\n{html}")
        start += len(marker)
        return html[start : html.index('"', start)]


_running: LocalProvider | None = None


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"Node.js ({name}) is needed for the local OpenID Connect provider"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_ready(process: subprocess.Popen, stderr_file, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                break
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
    if buffer.split(b"\n", 1)[0].strip() == b"ready":
        return
    process.kill()
    process.wait()
    stderr_file.seek(0)
    pytest.fail(
        "the local OpenID Connect provider did not start "
        f"(exit code {process.returncode}, stdout {buffer!r}):\n"
        + stderr_file.read().decode(errors="replace")
    )


@pytest.fixture(scope="session")
def oidc_provider():
    global _running
    node = _tool("node")
    npm = _tool("npm")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        # A fresh clone has no node_modules; the lock file makes this the same install for all.
        subprocess.run(  # noqa: S603 (fixed arguments)
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=PROVIDER_DIR,
            check=True,
            stdin=subprocess.DEVNULL,
        )

    port = _free_port()
    provider = LocalProvider(
        issuer=f"http://127.0.0.1:{port}",
        client_id=CLIENT_ID,
        client_secret=secrets.token_urlsafe(24),
        redirect_uris=REDIRECT_URIS,
        accounts=ACCOUNTS,
    )
    env = {
        **os.environ,
        "PORT": str(port),
        "ISSUER": provider.issuer,
        "CLIENT_ID": provider.client_id,
        "CLIENT_SECRET": provider.client_secret,
        "REDIRECT_URIS": ",".join(provider.redirect_uris),
        "ACCOUNTS": json.dumps(provider.accounts),
    }
    # stderr goes to a file: a pipe nobody reads could fill up and stall the provider.
    with tempfile.TemporaryFile() as stderr_file:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [node, "server.mjs"],
            cwd=PROVIDER_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
        )
        try:
            _wait_for_ready(process, stderr_file, START_TIMEOUT)
            _running = provider
            yield provider
        finally:
            _running = None
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            process.stdout.close()


@pytest.fixture(autouse=True)
def _reset_oidc_tamper_mode():
    """The provider lives for the whole session, so a test's tamper mode must not leak into the
    next test. Starts nothing: only acts when a test has started the provider."""
    yield
    if _running is not None and _running.mode != "none":
        _running.tamper("none")
