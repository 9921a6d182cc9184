"""The load and browser parts of `make bench-web` (bench.web): a real server, real clients.

gunicorn serves the app with the production settings (DEBUG=0, a SECRET_KEY, ALLOWED_HOSTS,
static files collected for WhiteNoise's manifest, 4 workers) on a free port of 127.0.0.1 from
the same database. Two sessions sign in through the sign-in form (tpm@ and member@); threads
then ask for the nav pages, once in turn per page at concurrency 1 and for `duration` seconds at
concurrency 20, and the p50/p95 and errors of each page are reported. The API's per-user throttle
is raised for the run (20 users of one account would otherwise be refused with 429, which is not
what is measured). Chromium (Debian's, through playwright) times the Gantt, the board and the
portfolio until they can be used.
"""

import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

BASE = Path(settings.BASE_DIR)
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/linchpin-bench-static"))
WORKERS = 4
TIMEOUT = 120  # seconds a request may take before it counts as an error
ONE_USER_REQUESTS = 3  # per page at concurrency 1 (fewer when one takes over 5 s)
# The nav pages driven under load (labels of bench.web.pages).
LOAD_PAGES = (
    "project list",
    "portfolio (200 projects)",
    "My work (545 open tasks)",
    "timesheet",
    "workload (300 people)",
    "project overview (plan)",
    "dashboard (5,010 tasks)",
    "plan page (outline)",
    "task page (mid-plan)",
    "Gantt page",
    "Gantt data gantt.json",
    "earned value page",
    "budget page",
    "risk register",
    "reports list",
    "board (3,000 cards)",
    "backlog (3,000 cards)",
    "floor: /healthz",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(port: int) -> dict[str, str]:
    database = connection.settings_dict
    url = os.environ.get("DATABASE_URL") or (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(STATIC_ROOT),
        "DATABASE_URL": url,
        "API_THROTTLE_USER": "1000000/min",
        "LOG_LEVEL": "ERROR",  # a 404 (favicon.ico) is not news; a 500 is
        "SITE_URL": f"http://127.0.0.1:{port}",
    }


def _collectstatic(env: dict[str, str]) -> None:
    """WhiteNoise's manifest storage needs collected files; redone when the bundle changed."""
    manifest = STATIC_ROOT / "staticfiles.json"
    bundle = BASE / "static" / "dist" / "app.js"
    if manifest.exists() and bundle.exists() and manifest.stat().st_mtime > bundle.stat().st_mtime:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
    )


class Server:
    """gunicorn in the background, stopped (its own process group only) on exit."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.env = _environment(self.port)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        _collectstatic(self.env)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "tpm.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(WORKERS), "--timeout", str(TIMEOUT), "--log-level", "warning"]
        self.process = subprocess.Popen(
            command,
            cwd=BASE,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz", {})[0] == 200:
                    return self
            except OSError:
                pass  # not listening yet
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(
    port: int, method: str, path: str, cookies: dict[str, str], body: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}/accounts/login/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        set_cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()
    jar: dict[str, str] = {}
    for line in set_cookies:
        parsed = SimpleCookie()
        parsed.load(line)
        jar.update({key: morsel.value for key, morsel in parsed.items()})
    return response.status, content, jar


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """A session through the sign-in form, as a person would."""
    _, page, cookies = request(port, "GET", "/accounts/login/", {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "email": email, "password": password}
    )
    status, _, more = request(port, "POST", "/accounts/login/", cookies, body)
    cookies.update(more)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {email} failed ({status})")
    return cookies


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def drive(port: int, targets: list[tuple[str, str, dict[str, str]]], users: int, seconds: float):
    """`users` threads asking for the targets in turn (each from its own offset) for `seconds`;
    at one user, ONE_USER_REQUESTS of each page instead. Returns {label: [ms or None]}."""
    timings: dict[str, list[float | None]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def ask(label: str, path: str, cookies: dict[str, str]) -> float | None:
        started = time.perf_counter()
        try:
            status, _, _ = request(port, "GET", path, cookies)
        except OSError:
            status = 0
        ms = (time.perf_counter() - started) * 1000
        with lock:
            timings[label].append(ms if status == 200 else None)
        return ms if status == 200 else None

    if users == 1:
        for label, path, cookies in targets:
            for _ in range(ONE_USER_REQUESTS):
                ms = ask(label, path, cookies)
                if ms is None or ms > 5000:
                    break
        return timings

    def user(offset: int) -> None:
        turn = offset
        while time.monotonic() < stop:
            label, path, cookies = targets[turn % len(targets)]
            ask(label, path, cookies)
            turn += 1

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def run_load(port: int, big: Any, only: list[str], duration: float) -> list[dict[str, Any]]:
    from bench.bigorg import DOMAIN, PASSWORD
    from bench.web import TARGETS, pages, wanted

    sessions = {
        who: sign_in(port, f"{who}@{DOMAIN}", PASSWORD) for who in ("tpm", "member", "admin")
    }
    sessions["anonymous"] = {}
    targets = [
        (label, url, sessions[who])
        for label, who, url in pages(big)
        if label in LOAD_PAGES and wanted(label, url, only)
    ]
    rows = []
    print(f"\nunder load: gunicorn, {WORKERS} workers, DEBUG=0 (port {port})")
    print(f"{'page':<45}{'users':>6}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'errors':>7}")
    for users, seconds in ((1, 0.0), (20, duration)):
        started = time.perf_counter()
        timings = drive(port, targets, users, seconds)
        elapsed = time.perf_counter() - started
        for label, _, _ in targets:
            values = timings.get(label, [])
            good = [v for v in values if v is not None]
            p50 = statistics.median(good) if good else None
            p95 = _percentile(good, 0.95) if good else None
            errors = len(values) - len(good)
            rows.append(
                {
                    "label": label,
                    "users": users,
                    "requests": len(values),
                    "p50_ms": p50,
                    "p95_ms": p95,
                    "errors": errors,
                }
            )
            missed = errors or (p95 or 0) > TARGETS["load_p95_ms"]
            print(
                f"{label[:44]:<45}{users:>6}{len(values):>5}{_ms(p50):>9}{_ms(p95):>9}"
                f"{errors:>7}  {'!' if missed else ''}",
                flush=True,
            )
        total = sum(len(timings.get(label, [])) for label, _, _ in targets)
        print(f"{'':<45}{users:>6}{total:>5} requests in {elapsed:.0f} s")
    return rows


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


# --- the browser part -----------------------------------------------------------------------

BROWSER_PAGES = (
    # (label, URL of the big organisation, a JavaScript test that the page can be used)
    ("Gantt (5,010 tasks)", "/projects/{plan}/gantt/", "#gantt[data-state=ready] .lg-row .lg-bar"),
    ("board (3,000 cards)", "/projects/{board}/board/", ".board-card"),
    ("portfolio (200 projects)", "/portfolio/", "table.portfolio tbody tr"),
)
BROWSER_TARGETS_MS = {"Gantt (5,010 tasks)": 2000}  # the others: 1,000 ms
READY = """(selector) => document.readyState === 'complete' && !!document.querySelector(selector)"""


def run_browser(port: int, big: Any, only: list[str]) -> list[dict[str, Any]]:
    """Navigation start -> usable (the load event fired and the page's marker is there), median
    of 3, with the number of elements on the page then."""
    from bench.bigorg import DOMAIN, PASSWORD
    from bench.web import wanted

    chromium = shutil.which("chromium")
    if chromium is None:
        print("\nbrowser: skipped (no chromium)")
        return []
    from playwright.sync_api import sync_playwright

    rows = []
    print("\nin Chromium (median of 3; navigation start -> usable)")
    print(f"{'page':<45}{'ms':>9}{'elements':>10}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_context(base_url=f"http://127.0.0.1:{port}").new_page()
        page.set_default_timeout(TIMEOUT * 1000)
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(f"tpm@{DOMAIN}")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        for label, address, marker in BROWSER_PAGES:
            url = address.format(plan=big.plan, board=big.board)
            if not wanted(label, url, only):
                continue
            times, elements = [], 0
            for _ in range(3):
                page.goto(url, wait_until="commit")
                page.wait_for_function(READY, arg=marker, polling="raf")
                times.append(page.evaluate("performance.now()"))
                elements = page.evaluate("document.getElementsByTagName('*').length")
            ms = statistics.median(times)
            target = BROWSER_TARGETS_MS.get(label, 1000)
            rows.append({"label": label, "url": url, "ms": ms, "elements": elements})
            print(f"{label:<45}{ms:>9.0f}{elements:>10}  {'!' if ms > target else ''}", flush=True)
        browser.close()
    return rows


def run(big: Any, parts: list[str], only: list[str], duration: float) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with Server() as server:
        if "load" in parts:
            result["load"] = run_load(server.port, big, only, duration)
        if "browser" in parts:
            result["browser"] = run_browser(server.port, big, only)
    return result
