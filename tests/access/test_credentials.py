"""API keys, argon2 accounts and signed sessions (issue 3, "Credentials")."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, select

from zhuisu.access import accounts, keys, sessions
from zhuisu.access.principals import Principal, Role
from zhuisu.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from zhuisu.store.access_tables import accounts as account_table
from zhuisu.store.access_tables import api_keys

USCC = "91310000MA1FL0001A"


def test_key_is_stored_hashed_and_resolves_to_its_principal(engine: Engine) -> None:
    with engine.begin() as conn:
        made = keys.create_key(conn, role=Role.SYSTEM, subject_keys=(USCC,), name="erp")
    with engine.begin() as conn:
        stored = [tuple(str(v) for v in r) for r in conn.execute(select(api_keys))]
        row = keys.key_row(conn, made.key)
    assert made.key.startswith("zs_") and len(made.key) > 40
    assert not any(made.key in value for r in stored for value in r)
    assert row.key_hash == hashlib.sha256(made.key.encode()).hexdigest()
    assert row.prefix == made.key[:10]
    assert keys.principal_of_key(row) == Principal(Role.SYSTEM, f"key:{made.id}", (USCC,), ())


def test_revoked_expired_and_unknown_keys_are_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        revoked = keys.create_key(conn, role=Role.ADMIN)
        expiring = keys.create_key(conn, role=Role.ADMIN, expires_us=2_000_000, now_us=1_000_000)
        keys.revoke_key(conn, revoked.id)
    with engine.begin() as conn:
        with pytest.raises(Unauthorized, match="revoked"):
            keys.key_row(conn, revoked.key)
        assert keys.key_row(conn, expiring.key, now_us=1_999_999).id == expiring.id
        with pytest.raises(Unauthorized, match="expired"):
            keys.key_row(conn, expiring.key, now_us=2_000_000)
        with pytest.raises(Unauthorized, match="invalid"):
            keys.key_row(conn, revoked.key[:-1] + ("A" if revoked.key[-1] != "A" else "B"))
        with pytest.raises(NotFound):
            keys.revoke_key(conn, revoked.id)


@pytest.mark.parametrize(
    ("role", "subjects", "regions"),
    [
        (Role.REGULATOR, (), ()),
        (Role.ENTERPRISE, (USCC, "91310000MA1FL0002B"), ()),
        (Role.SYSTEM, (), ("310000",)),
        (Role.ADMIN, (USCC,), ()),
        (Role.REGULATOR, (), ("3100",)),
        (Role.PUBLIC, (), ()),
    ],
)
def test_grants_must_fit_the_role(
    engine: Engine, role: Role, subjects: tuple[str, ...], regions: tuple[str, ...]
) -> None:
    with engine.begin() as conn, pytest.raises(ValidationFailed):
        keys.create_key(conn, role=role, subject_keys=subjects, regions=regions)


def test_accounts_keep_argon2_hashes_and_authenticate(engine: Engine) -> None:
    with engine.begin() as conn:
        made = accounts.create_account(
            conn, username="li.lei", password="s3cret-pass", role=Role.REGULATOR, regions=("310000",)
        )
        with pytest.raises(Conflict):
            accounts.create_account(conn, username="li.lei", password="another-pass", role=Role.ADMIN)
    assert made == Principal(Role.REGULATOR, "li.lei", (), ("310000",))
    with engine.begin() as conn:
        stored = conn.execute(select(account_table.c.password_hash)).scalar_one()
        assert stored.startswith("$argon2id$") and "s3cret-pass" not in stored
        assert accounts.authenticate(conn, "li.lei", "s3cret-pass") == made
        for user, password in (("li.lei", "wrong-pass"), ("nobody", "s3cret-pass"), ("bad:name", "x")):
            with pytest.raises(Unauthorized):
                accounts.authenticate(conn, user, password)
        assert accounts.principal_of(conn, "li.lei") == made
        assert accounts.principal_of(conn, "nobody") is None


def test_short_passwords_and_bad_usernames_are_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(ValidationFailed, match="too short"):
            accounts.create_account(conn, username="wang", password="short", role=Role.ADMIN)
        with pytest.raises(ValidationFailed, match="username"):
            accounts.create_account(conn, username="key:x", password="long-enough", role=Role.ADMIN)


def test_sessions_are_signed_expire_and_follow_the_account(engine: Engine) -> None:
    with engine.begin() as conn:
        made = accounts.create_account(
            conn, username="张三", password="s3cret-pass", role=Role.ENTERPRISE, subject_keys=(USCC,)
        )
    token = sessions.issue_session("张三", secret="k1", ttl_s=60, now_s=1000)
    with engine.begin() as conn:
        assert sessions.session_principal(conn, token, secret="k1", now_s=1059) == made
        assert sessions.session_principal(conn, token, secret="k1", now_s=1060) is None
        assert sessions.session_principal(conn, token, secret="k2", now_s=1000) is None
        name, expires, signature = token.split(".")
        forged = f"{name}.{int(expires) + 3600}.{signature}"
        assert sessions.session_principal(conn, forged, secret="k1", now_s=1000) is None
        other = sessions.issue_session("nobody", secret="k1", ttl_s=60, now_s=1000)
        assert sessions.session_principal(conn, other, secret="k1", now_s=1000) is None
        assert sessions.session_principal(conn, "garbage", secret="k1", now_s=1000) is None
        conn.execute(account_table.update().values(active=False))
        assert sessions.session_principal(conn, token, secret="k1", now_s=1000) is None
