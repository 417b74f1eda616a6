"""Load run: gunicorn on PostgreSQL and the sandbox, 50 simulated people for 2 minutes.

Empties the database at DATABASE_URL (create it if missing: it is a throw-away load database),
seeds one site with Managers and KitLocks, starts the sandbox API and gunicorn on free loopback
ports with production settings (DEBUG off), then runs simulated people on threads, each with a
requests.Session: sign in, the dashboard, the lock list, a lock page, its timeline, the NetCode
history, generate a code (form, confirm, the code's page), now and then sign out and in again.
Prints requests/s, p50/p95/p99 and errors, overall and per page. Bounded by --duration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keyhouse_load python -m bench.load
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
API_KEY = "load-api-key"
PASSWORD = "load-test-password-1"  # noqa: S105 (the seeded load users' password)
LOCKS = 20
REQUEST_TIMEOUT = 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ISSUE = re.compile(r"/netcodes/(\d+)/$")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(database_url: str, api_url: str, cache_url: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, fresh secrets, rate limits raised for the run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KEYHOUSE_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=Fernet.generate_key().decode() * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        CODELOCKS_API_URL=api_url,
        CODELOCKS_API_KEY=API_KEY,
        CODELOCKS_PLAN="enterprise-2",  # room for the run's codes in the month's quota
        KEYHOUSE_NETCODE_RATE_LIMIT="1000000",
        KEYHOUSE_LOGIN_RATE_LIMIT="1000000",
        EMAIL_URL="consolemail://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def ensure_database(database_url: str) -> None:
    """Create the load database when it does not exist yet."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(env: dict[str, str], users: int) -> dict[str, Any]:
    """Empty the database and seed one site, its Managers and KitLocks; give their ids."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from locks.models import KitLock, Membership, Role, Site

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest
    site = Site.objects.create(name="Load House", time_zone="Europe/London")
    hashed = make_password(PASSWORD)  # one slow hash for every simulated person
    people = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"load-{n:02d}", email=f"load-{n:02d}@example.com", password=hashed
        )
        for n in range(users)
    )
    Membership.objects.bulk_create(Membership(site=site, user=u, role=Role.MANAGER) for u in people)
    now = timezone.now()
    locks = [
        KitLock.objects.create(
            site=site,
            name=f"Key box {n}",
            location=f"Floor {n % 5}",
            model="KL1060",
            timecode="202601151030",
            identifier=f"{451254 + n:06d}",
            clock_zone="UTC",
            master_code="12345678",
            initialised_at=now,
            clock_set_at=now,
        )
        for n in range(LOCKS)
    ]
    return {"site": site.pk, "locks": [lock.pk for lock in locks], "users": len(people)}


@dataclass
class Results:
    """Every request's page label, status and time, shared by the simulated people."""

    samples: list[tuple[str, int, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    codes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, label: str, status: int, elapsed: float, error: str = "") -> None:
        with self.lock:
            self.samples.append((label, status, elapsed))
            if error:
                self.errors.append(f"{label}: {error}")


class Person:
    """One simulated Manager clicking through the portal."""

    def __init__(self, base: str, username: str, world: dict[str, Any], results: Results):
        self.base, self.username, self.world, self.results = base, username, world, results
        self.rng = random.Random(username)  # noqa: S311 (repeatable clicks, not secrets)
        self.session = self._session()

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": self.base.replace("http:", "https:") + "/"}
        )
        return session

    def _call(self, label: str, method: str, path: str, ok: tuple[int, ...] = (200,), **kw: Any):
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kw
            )
        except requests.RequestException as exc:
            self.results.add(label, 0, time.perf_counter() - started, type(exc).__name__)
            return None
        elapsed = time.perf_counter() - started
        for cookie in self.session.cookies:
            # The portal's cookies are Secure (it believes a proxy ends HTTPS): send them anyway.
            cookie.secure = False
        error = "" if response.status_code in ok else f"status {response.status_code}"
        self.results.add(label, response.status_code, elapsed, error)
        return response

    def _csrf(self, response) -> str:
        match = CSRF.search(response.text) if response is not None else None
        return match.group(1) if match else ""

    def sign_in(self) -> bool:
        page = self._call("sign-in form", "GET", "/accounts/login/")
        data = {"username": self.username, "password": PASSWORD}
        data["csrfmiddlewaretoken"] = self._csrf(page)
        done = self._call("sign in (POST)", "POST", "/accounts/login/", ok=(302,), data=data)
        return done is not None and done.status_code == 302

    def sign_out(self) -> None:
        page = self._call("home", "GET", "/")
        data = {"csrfmiddlewaretoken": self._csrf(page)}
        self._call("sign out (POST)", "POST", "/accounts/logout/", ok=(302,), data=data)
        self.session = self._session()

    def generate(self, lock: int) -> None:
        form = self._call("NetCode form", "GET", f"/netcodes/new/kitlock/{lock}/")
        day = datetime.now(UTC).date() + timedelta(days=self.rng.randint(1, 60))
        data = {
            "csrfmiddlewaretoken": self._csrf(form),
            "duration": "1",
            "start_date": day.isoformat(),
            "start_time": f"{self.rng.randint(8, 18):02d}:00",
            "recipient_name": f"Guest of {self.username}",
            "confirm": "1",
        }
        path = f"/netcodes/new/kitlock/{lock}/"
        made = self._call("generate NetCode (POST)", "POST", path, ok=(302,), data=data)
        if made is not None and made.status_code == 302:
            match = ISSUE.search(made.headers.get("Location", ""))
            if match:
                with self.results.lock:
                    self.results.codes += 1
                self._call("NetCode shown once", "GET", f"/netcodes/{match.group(1)}/")

    def browse_once(self) -> None:
        lock = self.rng.choice(self.world["locks"])
        action = self.rng.choices(
            ["home", "site", "locks", "lock", "timeline", "history", "generate"],
            weights=[2, 2, 3, 3, 1, 2, 2],
        )[0]
        if action == "generate":
            self.generate(lock)
            return
        path = {
            "home": "/",
            "site": f"/sites/{self.world['site']}/dashboard/",
            "locks": "/locks/",
            "lock": f"/locks/{lock}/",
            "timeline": f"/locks/{lock}/timeline/",
            "history": "/netcodes/",
        }[action]
        self._call(action.replace("site", "site dashboard"), "GET", path)

    def run(self, deadline: float, think: float) -> None:
        while time.monotonic() < deadline:
            if not self.sign_in():
                time.sleep(1)
                continue
            for _ in range(self.rng.randint(8, 16)):
                if time.monotonic() >= deadline:
                    return
                self.browse_once()
                time.sleep(self.rng.uniform(0, 2 * think))
            self.sign_out()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of the values, in milliseconds."""
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(results: Results, seconds: float, users: int) -> str:
    """The figures as text: overall, then per page."""
    times = [t for _, _, t in results.samples]
    lines = [
        f"{users} simulated people for {seconds:.0f} s",
        f"requests: {len(times)}  ({len(times) / seconds:.1f} requests/s)",
        f"latency: p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
        f"p99 {percentile(times, 99):.0f} ms, max {max(times) * 1000:.0f} ms",
        f"errors: {len(results.errors)}  (NetCodes generated: {results.codes})",
        "",
        f"{'page':<26}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    by_label: dict[str, list[float]] = defaultdict(list)
    for label, _, elapsed in results.samples:
        by_label[label].append(elapsed)
    failed = defaultdict(int)
    for error in results.errors:
        failed[error.split(":")[0]] += 1
    for label, values in sorted(by_label.items()):
        lines.append(
            f"{label:<26}{len(values):>9}{percentile(values, 50):>9.0f}"
            f"{percentile(values, 95):>9.0f}{percentile(values, 99):>9.0f}{failed[label]:>8}"
        )
    lines += [f"  first errors: {results.errors[:5]}"] if results.errors else []
    return "\n".join(lines)


def wait_until_up(url: str, seconds: float = 60) -> None:
    """Wait for a server to answer on loopback."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up within {seconds:.0f} s")


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """A child process in its own process group, so it and its workers can be stopped."""
    return subprocess.Popen(args, env=env, cwd=BASE_DIR, start_new_session=True)  # noqa: S603


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between clicks, s")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "locmemcache://load"))
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("make load needs PostgreSQL: set DATABASE_URL=postgres://…/keyhouse_load")

    static_root = BASE_DIR / "staticfiles"
    collected_here = not static_root.exists()
    api_port, web_port = _free_port(), _free_port()
    env = portal_env(database_url, f"http://127.0.0.1:{api_port}", options.cache_url)
    ensure_database(database_url)
    world = seed(env, options.users)
    python = sys.executable
    sandbox = start(
        [python, "-m", "codelocks.sandbox", "--port", str(api_port), "--api-key", API_KEY,
         "--plan", "enterprise-2", "--quiet"],
        env,
    )  # fmt: skip
    web = start(
        [python, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{web_port}",
         "--workers", str(options.workers), "--threads", str(options.threads),
         "--worker-class", "gthread", "--log-level", "warning"],
        env,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{api_port}/")
        base = f"http://127.0.0.1:{web_port}"
        wait_until_up(base + "/accounts/login/")
        results = Results()
        people = [Person(base, f"load-{n:02d}", world, results) for n in range(options.users)]
        started = time.monotonic()
        deadline = started + options.duration
        threads = [
            threading.Thread(target=p.run, args=(deadline, options.think), daemon=True)
            for p in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options.duration + REQUEST_TIMEOUT + 10)
        print(report(results, time.monotonic() - started, options.users))
    finally:
        stop(web)
        stop(sandbox)
        if collected_here:  # leave the tree as it was: DEBUG pages would serve stale copies
            shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
