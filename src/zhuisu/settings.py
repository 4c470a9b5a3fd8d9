"""The one typed settings object of zhuisu.

Every setting is read from the environment with the prefix ``ZHUISU_`` (``ZHUISU_DATABASE_URL`` …),
has a default, and a description that docs/operations.md repeats (a test keeps them in step).
Only the composition roots (``api/app.py`` and ``cli/``) build a ``Settings``; services take the
values they need as arguments.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformRole(StrEnum):
    """The role this deployment plays (GB/T 38155-2019: 追溯系统 / 追溯服务平台 / 追溯管理平台)."""

    MANAGEMENT = "management"  # 追溯管理平台: a government platform for a jurisdiction
    SERVICE = "service"  # 追溯服务平台: a third-party trace service platform
    ENTERPRISE = "enterprise"  # 追溯系统: one enterprise's own system


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHUISU_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the embedded SQLite database and other local files.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db. "
            "Unset: SQLite file zhuisu.sqlite3 under the data directory."
        ),
    )
    platform_role: PlatformRole = Field(
        default=PlatformRole.MANAGEMENT,
        description="Which GB/T 38155 role this deployment plays: management, service or enterprise.",
    )
    jurisdiction: str = Field(
        default="000000",
        description="GB/T 2260 region code of the jurisdiction this platform serves (000000 = national).",
    )
    capture_limit: int = Field(
        default=10_000,
        ge=1,
        description="Most events accepted in one capture request (advertised as GS1-EPCIS-Capture-Limit).",
    )
    capture_file_size_limit: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest capture request body in bytes (advertised as GS1-EPCIS-Capture-File-Size-Limit)."
        ),
    )
    capture_batch_size: int = Field(
        default=1_000,
        ge=1,
        description="Events written per database round in bulk capture (all in one transaction per job).",
    )
    query_page_token_secret: str = Field(
        default="",
        description=(
            "Secret that signs query page tokens (nextPageToken, HMAC-SHA256). Empty: a random "
            "secret per process, so set one shared value when several API workers serve queries."
        ),
    )
    query_page_token_ttl: int = Field(
        default=3600,
        ge=1,
        description="Seconds a query page token stays valid (advertised as GS1-Next-Page-Token-Expires).",
    )
    query_max_per_page: int = Field(
        default=10_000,
        ge=1,
        description="Largest perPage a query may ask for (events per page).",
    )
    session_secret: str = Field(
        default="",
        description=(
            "Secret that signs web session cookies (HMAC-SHA256). Empty: a random secret per "
            "process, so logins end on restart; set one shared value when several workers serve."
        ),
    )
    rate_limit_per_key: str = Field(
        default="6000/minute",
        description=(
            "Most requests one API key (or web session) may make to the query and public endpoints, "
            "as a `limits` rate string such as 6000/minute or 100/second (429 past it)."
        ),
    )
    rate_limit_per_address: str = Field(
        default="1200/minute",
        description=(
            "Most requests one client address may make to the query and public endpoints, "
            "as a `limits` rate string (429 with Retry-After past it)."
        ),
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description=(
            "Where the rate limit counts live: `memory://` (in the process) or a store shared by "
            "every worker, such as `redis://127.0.0.1:6379/0`."
        ),
    )
    gc_young_threshold: int = Field(
        default=50_000,
        ge=0,
        description=(
            "Allocations between two collections of Python's youngest garbage-collector generation "
            "in the server (CPython's own default is 700); the objects alive at startup are frozen "
            "out of every collection. 0 leaves the interpreter's settings alone."
        ),
    )
    chain_receipt_hours: int = Field(
        default=72,
        ge=1,
        description="Integrity check: a shipment no receipt took up within this many hours is a chain break.",
    )
    chain_clock_skew_minutes: int = Field(
        default=15,
        ge=0,
        description="Integrity check: how much earlier than its shipment a receipt may be (clock skew).",
    )
    chain_same_time_minutes: int = Field(
        default=10,
        ge=0,
        description="Integrity check: one serial at two bizLocations within this many minutes is misuse.",
    )
    chain_travel_kmh: int = Field(
        default=900,
        ge=1,
        description="Integrity check: a serial moving between provinces faster than this (km/h) is misuse.",
    )
    chain_stop_trading_days: int = Field(
        default=90,
        ge=0,
        description=(
            "Integrity check: how many days before the checked window a failed test (non_conformant) "
            "is still looked for; trading its goods after it is a finding."
        ),
    )
    subscription_delivery_enabled: bool = Field(
        default=True,
        description="Run the subscription (webhook) delivery loop in the API process.",
    )
    subscription_delivery_interval: float = Field(
        default=5.0,
        gt=0,
        description=(
            "Seconds between runs of the subscription delivery loop (API and `zhuisu subscriptions deliver`)."
        ),
    )
    subscription_delivery_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a webhook callback may take before the attempt counts as failed.",
    )
    host: str = Field(default="127.0.0.1", description="Address `zhuisu serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `zhuisu serve` listens on.")
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of this platform, used in Location headers, links and QR codes.",
    )

    codes_auto_approve: bool = Field(
        default=False,
        description=(
            "Issue requested trace codes at once, without a regulator's review (赋码申请自动审核通过)."
        ),
    )
    codes_max_per_request: int = Field(
        default=100_000,
        ge=1,
        description="Most trace codes one code request (赋码申请) may ask for.",
    )
    labels_digital_link_host: str = Field(
        default="https://id.gs1.org",
        description=(
            "Scheme and host of the GS1 Digital Link URIs printed in the QR codes of GS1 identifiers "
            "(any resolver may serve them, GS1 Digital Link standard; e.g. this platform's base URL)."
        ),
    )

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zhuisu.sqlite3').resolve()}"
