"""One demo login per role, with passwords drawn from the seed (printed and kept in the manifest,
never written into a code path that checks passwords)."""

from __future__ import annotations

import random
import string
from typing import Any

from sqlalchemy import Connection

from zhuisu.access.accounts import create_account
from zhuisu.access.principals import Role
from zhuisu.demo.city import City
from zhuisu.demo.names import CITY_REGION
from zhuisu.errors import ZhuisuError

_ALPHABET = string.ascii_letters + string.digits


def password(seed: int, username: str) -> str:
    rng = random.Random(f"zhuisu-demo-login:{seed}:{username}")
    return "".join(rng.choice(_ALPHABET) for _ in range(14))


def create_logins(conn: Connection, seed: int, city: City) -> dict[str, Any]:
    """Create the accounts; if one cannot be made (a name taken, say), say so in the result."""
    market, sh = city.of("wet_market")[0], city.of("slaughterhouse")[0]
    plan = [
        ("demo-admin", Role.ADMIN, (), (), "演示管理员"),
        ("demo-regulator", Role.REGULATOR, (), (CITY_REGION,), "上海市商务委员会(演示)"),
        ("demo-enterprise", Role.ENTERPRISE, (market.key,), (), market.name),
        ("demo-system", Role.SYSTEM, (sh.key,), (), f"{sh.name} 追溯系统"),
    ]
    accounts = []
    try:
        with conn.begin_nested():  # all four or none
            for username, role, keys, regions, display in plan:
                secret = password(seed, username)
                create_account(
                    conn,
                    username=username,
                    password=secret,
                    role=role,
                    subject_keys=keys,
                    regions=regions,
                    display_name=display,
                )
                accounts.append(
                    {
                        "username": username,
                        "password": secret,
                        "role": str(role),
                        "subject_keys": list(keys),
                        "regions": list(regions),
                    }
                )
    except ZhuisuError as exc:  # the city is built: a login that cannot be made is said, not fatal
        return {"available": False, "accounts": [], "reason": exc.message}
    return {"available": True, "accounts": accounts}
