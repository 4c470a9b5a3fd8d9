"""What a role must be bound to (issue 3, "Principals"), checked when a key or account is made.

* admin: nothing (sees everything; subjects and regions are refused, they would mean nothing);
* regulator: one or more GB/T 2260 region codes (its jurisdiction and everything under it);
* enterprise: exactly one subject (the policy binds an enterprise user to one subject);
* system: one or more subjects (a third-party platform reports for several);
* public: not granted — it is what nobody-in-particular is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zhuisu.access.principals import Role
from zhuisu.errors import ValidationFailed

REGION = re.compile(r"^\d{6}$")
SUBJECT_KEY = re.compile(r"^[0-9A-Za-z]{1,18}$")


def _clean(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def check_grant(
    role: Role, subject_keys: Iterable[str], regions: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The subject keys and regions, cleaned; ValidationFailed when they do not fit the role."""
    subjects, areas = _clean(subject_keys), _clean(regions)
    for key in subjects:
        if not SUBJECT_KEY.match(key):
            raise ValidationFailed(
                f"主体编码 {key!r} 无效(应为统一社会信用代码或平台主体编码)",
                f"invalid subject key {key!r} (a USCC or platform subject key)",
            )
    for code in areas:
        if not REGION.match(code):
            raise ValidationFailed(
                f"行政区划代码 {code!r} 无效(应为 6 位 GB/T 2260 代码)",
                f"invalid region code {code!r} (6 digits of GB/T 2260)",
            )
    if role is Role.PUBLIC:
        raise ValidationFailed("不能为公众角色发放凭据", "the public role is not given credentials")
    if role is Role.ADMIN and (subjects or areas):
        raise ValidationFailed("管理员不绑定主体或辖区", "an admin is bound to no subject or region")
    if role is Role.REGULATOR and (not areas or subjects):
        raise ValidationFailed(
            "监管部门须绑定至少一个辖区(--region),不绑定主体",
            "a regulator is bound to one or more regions (--region) and no subject",
        )
    if role is Role.ENTERPRISE and (len(subjects) != 1 or areas):
        raise ValidationFailed(
            "企业用户须绑定恰好一个主体(--subject),不绑定辖区",
            "an enterprise user is bound to exactly one subject (--subject) and no region",
        )
    if role is Role.SYSTEM and (not subjects or areas):
        raise ValidationFailed(
            "系统客户端须绑定至少一个主体(--subject),不绑定辖区",
            "a system client is bound to one or more subjects (--subject) and no region",
        )
    return subjects, areas
