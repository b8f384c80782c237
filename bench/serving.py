"""Serving the real app with gunicorn on a free loopback port, and a browser-like client.

Shared by the benchmarks and by the tests that need a real server process (concurrency):
one way to start, wait for and stop the server, one client that keeps its cookies.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@contextlib.contextmanager
def postgres_schema(base_url: str, prefix: str = "bench") -> Iterator[str]:
    """A fresh schema of its own in the given PostgreSQL database, dropped afterwards, so
    that runs never collide; yields a URL whose connections use it."""
    engine = sa.create_engine(base_url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


class ServerDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    app: str,
    env: dict,
    log: Path,
    *,
    workers: int = 2,
    threads: int = 1,
    ready_path: str = "/healthz",
    preload: bool = False,
) -> Iterator[int]:
    """gunicorn serving `app` ("module:variable" or "module:factory()") on 127.0.0.1;
    yields the port once `ready_path` answers 200, stops the server afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "-w", str(workers),
        "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--error-logfile", str(log),
        *(["--preload"] if preload else []), app,
    ]  # fmt: skip
    # A session of its own: its workers can be stopped with it as one group (below).
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        # Generous: on a machine busy with other work, importing the app in every worker can
        # take well over 30 s; a server that never answers still fails, only later.
        deadline = time.monotonic() + 180
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", ready_path)
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text()[-3000:] if log.exists() else ""
                raise ServerDidNotStart(f"gunicorn did not start ({log}):\n{tail}")
            time.sleep(0.1)
        yield port
    finally:
        # gunicorn's quick shutdown still waits for its workers' kept-alive connections and
        # its own loop (4-6 s here); nothing is left to finish once a run is over: after a
        # second, the whole group is killed.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(1)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class Visitor:
    """One person's browser: their own cookies, so their own session and CSRF token."""

    def __init__(self, port: int, language: str = "fr"):
        self.port = port
        self.language = language
        self.cookies = SimpleCookie()
        self.csrf_token = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Accept-Language": self.language}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or ():
            self.cookies.load(header)
        page = response.read().decode()
        conn.close()
        if method == "GET" and (match := CSRF_TOKEN.search(page)):
            self.csrf_token = match.group(1)
        return response.status, page
