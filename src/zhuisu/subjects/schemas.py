"""What a filing, a change, a node, an operator and a qualification carry, validated on the way in.

Codes are checked with ``domain.codes`` (USCC: GB 32100 mod-31 check; ID card: GB 11643 MOD 11-2;
SC licence: structure; GLN: GS1 mod-10); regions must be GB/T 2260 codes python-stdnum knows.
Validation messages are Chinese first, then English.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from zhuisu.domain.codes import CodeError, identify
from zhuisu.domain.problem import Problem
from zhuisu.errors import ValidationFailed
from zhuisu.subjects.identity import region_name
from zhuisu.subjects.rules import LicenceKind, NodeKind, NodeType, SubjectType

M = TypeVar("M", bound=BaseModel)


def _code(value: str, scheme: str) -> str:
    try:
        return identify(value, scheme=scheme).canonical
    except CodeError as exc:
        raise ValueError(exc.message) from None


def _region(value: str) -> str:
    if region_name(value) is None:
        raise ValueError(f"未知的 GB/T 2260 行政区划代码 {value!r} / unknown GB/T 2260 region code {value!r}")
    return value


def _gln(value: str | None) -> str | None:
    """A GLN or SGLN in any GS1 spelling (13 digits, URN, Digital Link) → its canonical Digital Link."""
    if value is None:
        return None
    try:
        found = identify(value, scheme="gs1.gln") if value.strip().isdigit() else identify(value)
    except CodeError as exc:
        raise ValueError(exc.message) from None
    if found.scheme not in ("gs1.gln", "gs1.sgln"):
        raise ValueError(f"应为 GLN 或 SGLN,而非 {found.scheme} / expected a GLN or SGLN, not {found.scheme}")
    return found.canonical


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class QualificationInput(_Model):
    kind: LicenceKind
    number: str = Field(min_length=1, max_length=64)
    valid_until: date | None = None
    issued_by: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _number(self) -> Self:
        # 食品生产许可证编号: "SC" + 14 digits (食品生产许可管理办法)
        if self.kind is LicenceKind.FOOD_PRODUCTION:
            self.number = _code(self.number, "cn.sc")
        return self


class SubjectData(_Model):
    """The filed data of a subject (上海办法 Art.12 e-file; the IPT 节点备案 form)."""

    name: str = Field(min_length=1, max_length=200)
    subject_type: SubjectType
    legal_rep: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    region: str
    contact_name: str | None = Field(default=None, max_length=100)
    contact_phone: str | None = Field(default=None, max_length=32)
    business_scope: str | None = Field(default=None, max_length=2000)
    node_types: list[NodeType] = Field(min_length=1)
    pgln: str | None = None

    _region_ok = field_validator("region")(_region)

    @field_validator("pgln")
    @classmethod
    def _pgln(cls, value: str | None) -> str | None:
        return None if value is None else _party_gln(value)


def _party_gln(value: str) -> str:
    """A party GLN (13 digits, ``urn:epc:id:pgln:…`` or a Digital Link with AI 417 / 414) → 13 digits."""
    try:
        found = identify(value, scheme="gs1.gln") if value.isdigit() else identify(value)
    except CodeError as exc:
        raise ValueError(exc.message) from None
    key = found.parts.get("pgln") or found.parts.get("gln")
    if key is None:
        raise ValueError("应为参与方 GLN / expected a party GLN")
    return key


class FilingInput(SubjectData):
    """A first filing: an organisation gives its USCC, a natural person an ID-card number."""

    uscc: str | None = None
    id_card: str | None = None
    qualifications: list[QualificationInput] = Field(default_factory=list)

    @model_validator(mode="after")
    def _identity(self) -> Self:
        if self.subject_type is SubjectType.NATURAL_PERSON:
            if self.id_card is None or self.uscc is not None:
                raise ValueError(
                    "自然人备案须提供身份证号码且不提供统一社会信用代码 / "
                    "a natural person files with an ID-card number and no USCC"
                )
            self.id_card = _code(self.id_card, "cn.ric")
        else:
            if self.uscc is None or self.id_card is not None:
                raise ValueError(
                    "单位备案须提供统一社会信用代码 / "
                    "an organisation files with its USCC (and no ID-card number)"
                )
            self.uscc = _code(self.uscc, "cn.uscc")
        return self

    def data(self) -> SubjectData:
        return SubjectData.model_validate(self.model_dump(include=set(SubjectData.model_fields)))


class ChangeInput(_Model):
    """A change filing: the fields that changed, and the day they changed (default: today)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    legal_rep: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    region: str | None = None
    contact_name: str | None = Field(default=None, max_length=100)
    contact_phone: str | None = Field(default=None, max_length=32)
    business_scope: str | None = Field(default=None, max_length=2000)
    node_types: list[NodeType] | None = Field(default=None, min_length=1)
    pgln: str | None = None
    changed_on: date | None = None

    @field_validator("pgln")
    @classmethod
    def _pgln(cls, value: str | None) -> str | None:
        return None if value is None else _party_gln(value)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return None if value is None else _region(value)


class NodeInput(_Model):
    name: str = Field(min_length=1, max_length=200)
    kind: NodeKind
    node_type: NodeType
    region: str | None = None  # default: the subject's region
    stall_no: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=300)
    gln: str | None = None

    _gln_ok = field_validator("gln")(_gln)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return None if value is None else _region(value)

    @model_validator(mode="after")
    def _stall(self) -> Self:
        if self.kind is NodeKind.STALL and not self.stall_no:
            raise ValueError("摊位须有摊位号 / a stall needs its stall number (摊位号)")
        return self


class OperatorInput(_Model):
    name: str = Field(min_length=1, max_length=200)
    stall_no: str | None = Field(default=None, max_length=32)
    own: bool = False  # the node operates itself: operator code = node code + 0000 (SB/T 10680 practice)


class CodeScheme(StrEnum):
    """The schemes the platform issues codes in (赋码); ids as in ``domain.codes``."""

    PLATFORM = "zhuisu.platform"  # region + platform subject number + sequence + check (our design)
    SGTIN = "gs1.sgtin"  # GTIN + serial (AI 01 + AI 21, GS1 General Specifications §3.5.2)
    MEAT_VEG = "cn.meat_veg"  # operator code (13) + 7-digit serial (SB/T 10680, as read)


class CodeRequestInput(_Model):
    """A request for a block of trace codes (赋码申请) by a filed subject."""

    subject: str = Field(min_length=1, max_length=18, description="USCC (or P… key) of the subject")
    scheme: CodeScheme
    count: int = Field(ge=1)
    product_name: str = Field(min_length=1, max_length=200)
    category: str | None = Field(default=None, max_length=64)
    gtin: str | None = None  # gs1.sgtin: the GTIN the serials go under
    operator_code: str | None = None  # cn.meat_veg: the operator code the serials go under

    @model_validator(mode="after")
    def _prefix(self) -> Self:
        if self.scheme is CodeScheme.SGTIN:
            if self.gtin is None:
                raise ValueError("GS1 序列号须提供 GTIN / SGTIN serials need the GTIN (gtin)")
            self.gtin = _gtin14(self.gtin)
        elif self.scheme is CodeScheme.MEAT_VEG:
            if self.operator_code is None:
                raise ValueError("肉菜追溯码须提供经营者编码 / meat & vegetable codes need the operator_code")
            self.operator_code = _code(self.operator_code, "cn.operator")
        if self.scheme is not CodeScheme.SGTIN and self.gtin is not None:
            raise ValueError("仅 GS1 序列号需要 GTIN / gtin applies to gs1.sgtin only")
        if self.scheme is not CodeScheme.MEAT_VEG and self.operator_code is not None:
            raise ValueError("仅肉菜追溯码需要经营者编码 / operator_code applies to cn.meat_veg only")
        return self


def _gtin14(value: str) -> str:
    """A GTIN-8/12/13/14 (GS1 mod-10 checked) → its 14-digit form (GS1 General Specifications §3.3.2)."""
    try:
        return identify(value.strip(), scheme="gs1.gtin").parts["gtin"]
    except CodeError as exc:
        raise ValueError(exc.message) from None


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` as ``model`` or raise ValidationFailed listing each problem by path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                None,
                "$." + ".".join(str(p) for p in err["loc"]) if err["loc"] else "$",
                "subjects.invalid",
                str(err["msg"]).removeprefix("Value error, "),
                str(err["msg"]).removeprefix("Value error, "),
            )
            for err in exc.errors()
        ]
        raise ValidationFailed("备案数据无效", "the filing data is invalid", problems=problems) from None
