"""`make run` starts the worker with its built-in scheduler (`celery -A tpm worker --beat`) and
stops everything with `kill 0`: a SIGTERM to the whole process group. That used to kill the
pool's children directly, and one killed while holding the pool's queue lock left the worker
waiting for that lock at exit for ever: only SIGKILL stopped it. tpm/celery.py puts the
children in a group of their own, so the worker's warm shutdown stops them.

Runs a real worker the README's way (SQLite, the filesystem broker: no server), on a copy of the
test database (beat's database scheduler needs its tables); skipped where it cannot start.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# A clean shutdown takes about ten seconds on a busy two-core machine; the bug was for ever.
SHUTDOWN_LIMIT = 30
START_LIMIT = 120


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def database_copy(transactional_db, tmp_path):
    if connection.vendor != "sqlite" or not Path("/proc").is_dir():
        pytest.skip("the README's set-up (SQLite on Linux) is what this test starts")
    connection.ensure_connection()
    import sqlite3

    target = sqlite3.connect(tmp_path / "linchpin.sqlite3")
    connection.connection.backup(target)
    target.close()
    return tmp_path


def test_the_worker_with_its_scheduler_stops_on_sigterm_to_its_group(database_copy):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(LINCHPIN_VAR_DIR=str(database_copy), DJANGO_SETTINGS_MODULE="tpm.settings")
    log_path = database_copy / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tpm", "worker", "--beat", "--loglevel",
             "INFO", "--concurrency", "2", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    children: set[int] = set()
    try:
        # given the worker is up: consuming, scheduling, with its two pool processes
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline and worker.poll() is None:
            text = log_path.read_text(errors="replace")
            children = _children(worker.pid)
            if "ready." in text and "beat: Starting" in text and len(children) >= 3:
                break
            time.sleep(0.5)
        else:
            pytest.skip("celery could not start here:\n" + log_path.read_text()[-2000:])
        time.sleep(2)  # the children settle into waiting for work (holding the queue lock)
        # when the whole process group gets SIGTERM, as `make run`'s `kill 0` sends it
        started = time.monotonic()
        os.killpg(worker.pid, signal.SIGTERM)
        # then the worker exits by itself, in good time, and takes its children with it
        try:
            worker.wait(timeout=SHUTDOWN_LIMIT)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"still running {SHUTDOWN_LIMIT}s after SIGTERM:\n"
                + log_path.read_text(errors="replace")[-2000:]
            )
        print(f"stopped {time.monotonic() - started:.1f}s after SIGTERM")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)]
        assert "Warm shutdown" in log_path.read_text(errors="replace")
    finally:
        for pid in [worker.pid, *children]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        worker.wait()
