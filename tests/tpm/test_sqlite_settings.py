"""The embedded SQLite database: WAL, a busy timeout and IMMEDIATE transactions, so the web
server and the Celery worker wait for each other instead of failing with "database is locked"."""

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from tpm import settings as production


def _file_database(path):
    return DatabaseWrapper(
        {
            **production.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": dict(production.SQLITE_OPTIONS),
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TIME_ZONE": None,
            "TEST": {},
        },
        alias="sqlite-settings-test",
    )


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    # these tests open their own file databases, never the test database
    with django_db_blocker.unblock():
        yield


def test_the_default_database_gets_the_sqlite_options():
    # the settings as loaded without DATABASE_URL (the test run may use PostgreSQL)
    if production.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        options = production.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 20
        assert "journal_mode=WAL" in options["init_command"]


def test_a_file_database_opens_in_wal_mode_with_a_busy_timeout(tmp_path):
    wrapper = _file_database(tmp_path / "linchpin.sqlite3")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 20_000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()
