"""Backup and restore with scripts/backup.sh and scripts/restore.sh (pg_dump / pg_restore).

The PostgreSQL test database, loaded with the demo data, is dumped and restored into a fresh
database; every table must hold the same number of rows.
"""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.services import require_service

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPTS = settings.BASE_DIR / "scripts"


def url_for(database: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def run(script: str, *args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def fresh_database(postgres):
    require_service("pg_dump", bool(shutil.which("pg_dump")), "pg_dump/pg_restore not installed")
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin_url = url_for("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url_for(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_database_with_equal_row_counts(fresh_database, tmp_path):
    # given: the test database with the demo data
    call_command("load_demo", verbosity=0)
    source_url = url_for(connection.settings_dict["NAME"])
    dump = tmp_path / "tracker.dump"

    # when
    backup = run("backup.sh", str(dump), database_url=source_url)
    restore = run("restore.sh", str(dump), database_url=fresh_database)

    # then
    assert backup.returncode == 0, backup.stderr
    assert backup.stdout.strip() == str(dump)
    assert restore.returncode == 0, restore.stderr
    original, restored = row_counts(source_url), row_counts(fresh_database)
    assert original["programs_program"] == 21
    assert original["events_event"] == 11
    assert restored == original
    assert len(restored) > 40


def test_restore_refuses_a_database_that_is_not_empty(fresh_database, tmp_path):
    # given: a backup already restored once
    source_url = url_for(connection.settings_dict["NAME"])
    dump = tmp_path / "tracker.dump"
    assert run("backup.sh", str(dump), database_url=source_url).returncode == 0
    assert run("restore.sh", str(dump), database_url=fresh_database).returncode == 0
    before = row_counts(fresh_database)

    # when: restored again without --clean
    refused = run("restore.sh", str(dump), database_url=fresh_database)

    # then: refused, nothing changed; with --clean it replaces the copy
    assert refused.returncode == 3
    assert "refusing: the target database already has" in refused.stderr
    assert row_counts(fresh_database) == before
    replaced = run("restore.sh", str(dump), "--clean", database_url=fresh_database)
    assert replaced.returncode == 0, replaced.stderr
    assert row_counts(fresh_database) == before


def test_failed_backup_leaves_no_file(postgres, tmp_path):
    # when: the database does not exist
    dump = tmp_path / "broken.dump"
    result = run("backup.sh", str(dump), database_url=url_for("no_such_database_ax_ops"))

    # then
    assert result.returncode != 0
    assert list(tmp_path.iterdir()) == []
