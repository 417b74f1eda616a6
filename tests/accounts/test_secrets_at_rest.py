"""Secrets at rest: encrypted in the database, and re-encrypted under a new key on demand."""

from __future__ import annotations

import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.management.commands.rotate_encryption_keys import UNREADABLE, encrypted_columns
from locks import crypto
from locks.models import KitLock

MASTER_CODE = "11335577"
SEQUENCE = "#11335577 • 20 • 2011161623 • 451254 ••"
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _kitlock(site, **fields) -> KitLock:
    defaults = {
        "name": "Front door",
        "model": "KL1060",
        "timecode": "202011161623",
        "identifier": "451254",
        "master_code": MASTER_CODE,
        "pending_sequence": SEQUENCE,
    }
    return KitLock.objects.create(site=site, **{**defaults, **fields})


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out, **options)
    return out.getvalue()


def test_the_command_finds_every_encrypted_column():
    found = {m._meta.label: {f.name for f in fields} for m, fields in encrypted_columns()}
    assert found["locks.KitLock"] >= {"master_code", "pending_sequence"}


def test_the_database_holds_no_secret_in_plain_text(site):
    _kitlock(site)
    for model, fields in encrypted_columns():
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        for row in _raw(f"SELECT {columns} FROM {table}"):  # noqa: S608 - quoted names
            for value in row:
                assert value in ("", None) or value.startswith(crypto.PREFIX)
                assert MASTER_CODE not in (value or "")
    assert KitLock.objects.get().master_code == MASTER_CODE


def test_secrets_move_to_a_new_key_and_stay_readable_with_it_alone(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    lock = _kitlock(site)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(ImproperlyConfigured):
        KitLock.objects.get(pk=lock.pk)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    output = _rotate()
    assert "locks.KitLock (master_code, pending_sequence): 2 re-encrypted" in output

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    again = KitLock.objects.get(pk=lock.pk)
    assert (again.master_code, again.pending_sequence) == (MASTER_CODE, SEQUENCE)


def test_rotating_twice_changes_nothing_the_second_time(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    lock = _kitlock(site)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    _rotate()
    stored = _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk])
    output = _rotate()
    assert "Done: re-encrypted 0 secret(s); 2 already under the newest key." in output
    assert _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk]) == stored


def test_rotation_touches_only_the_secret_columns(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    lock = _kitlock(site, notes="Side gate, by the bins")
    before = _raw("SELECT name, notes, created_at FROM locks_kitlock WHERE id = %s", [lock.pk])
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    _rotate()
    after = _raw("SELECT name, notes, created_at FROM locks_kitlock WHERE id = %s", [lock.pk])
    assert after == before


def test_rotation_works_through_many_batches(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    for n in range(5):
        _kitlock(site, name=f"Door {n}", identifier=f"45125{n}")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "10 re-encrypted" in _rotate(batch_size=2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert {k.master_code for k in KitLock.objects.all()} == {MASTER_CODE}


def test_a_dry_run_counts_but_changes_nothing(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    lock = _kitlock(site)
    stored = _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk])
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "would re-encrypt 2 secret(s)" in _rotate(dry_run=True)
    assert _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk]) == stored


def test_a_secret_found_in_plain_text_gets_encrypted(site):
    lock = _kitlock(site)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE locks_kitlock SET master_code = %s WHERE id = %s", [MASTER_CODE, lock.pk]
        )
    assert "1 plain text encrypted" in _rotate()
    [(stored,)] = _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk])
    assert stored.startswith(crypto.PREFIX)
    assert KitLock.objects.get(pk=lock.pk).master_code == MASTER_CODE


def test_a_secret_no_key_opens_is_reported_and_left_alone(site, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    lock = _kitlock(site)
    stored = _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk])
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match=re.escape(UNREADABLE.format(count=2))):
        _rotate()
    assert _raw("SELECT master_code FROM locks_kitlock WHERE id = %s", [lock.pk]) == stored
