"""The one error tree of zhuisu.

Every expected failure is a ``ZhuisuError`` with a stable ``code``, an HTTP ``status`` and a message
in Chinese and English. The API turns it into an RFC 7807 problem document; the CLI prints it and
exits non-zero. Anything that is not a ``ZhuisuError`` is a bug (a 500).

    ZhuisuError                      code                       status
    ├── ValidationFailed             validation.failed          400   carries Problem list
    ├── NotFound                     not_found                  404
    ├── Conflict                     conflict                   409
    │   └── DuplicateEvent           capture.duplicate_event    409
    ├── PayloadTooLarge              capture.too_large          413
    ├── UnsupportedMediaType         capture.unsupported_media  415
    ├── Forbidden                    auth.forbidden             403
    ├── Unauthorized                 auth.unauthorized          401   (WWW-Authenticate: Bearer)
    ├── RateLimited                  auth.rate_limited          429   (Retry-After)
    ├── QueryParameterError          query.parameter           400   (EPCIS QueryParameterException)
    ├── QueryTooLarge                query.too_large           413   (EPCIS QueryTooLargeException)
    ├── SubscriptionControlsError    query.subscription        400   (EPCIS SubscriptionControlsException)
    ├── InvalidUriError              query.invalid_uri         400   (EPCIS InvalidURIException)
    └── ConfigurationError           config.invalid            500   (a deployment mistake, said clearly)
"""

from __future__ import annotations

from collections.abc import Sequence

from zhuisu.domain.problem import Problem


class ZhuisuError(Exception):
    code = "error"
    status = 500
    #: the EPCIS exception name (query interface, §8.2.6 of EPCIS 2.0), where one applies
    epcis_type = "ImplementationException"

    def __init__(self, message_zh: str, message_en: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
        self.problems = list(problems)

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the API sends with this error's problem document."""
        return {}


class ValidationFailed(ZhuisuError):
    code = "validation.failed"
    status = 400
    epcis_type = "ValidationException"


class NotFound(ZhuisuError):
    code = "not_found"
    status = 404
    epcis_type = "NoSuchResourceException"


class Conflict(ZhuisuError):
    code = "conflict"
    status = 409
    epcis_type = "ResourceAlreadyExistsException"


class DuplicateEvent(Conflict):
    code = "capture.duplicate_event"


class PayloadTooLarge(ZhuisuError):
    code = "capture.too_large"
    status = 413
    epcis_type = "CaptureLimitExceededException"


class UnsupportedMediaType(ZhuisuError):
    code = "capture.unsupported_media"
    status = 415
    epcis_type = "UnsupportedMediaTypeException"


class Unauthorized(ZhuisuError):
    code = "auth.unauthorized"
    status = 401
    epcis_type = "SecurityException"

    @property
    def headers(self) -> dict[str, str]:
        # RFC 9110 §11.6.1: a 401 names the scheme to use (RFC 6750 bearer tokens: the API key)
        return {"WWW-Authenticate": 'Bearer realm="zhuisu"'}


class RateLimited(ZhuisuError):
    code = "auth.rate_limited"
    status = 429
    epcis_type = "SecurityException"

    def __init__(self, message_zh: str, message_en: str, *, retry_after: int) -> None:
        super().__init__(message_zh, message_en)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        # RFC 6585 §4: 429 Too Many Requests, with Retry-After (RFC 9110 §10.2.3) in seconds
        return {"Retry-After": str(self.retry_after)}


class Forbidden(ZhuisuError):
    code = "auth.forbidden"
    status = 403
    epcis_type = "SecurityException"


class QueryParameterError(ZhuisuError):
    code = "query.parameter"
    status = 400
    epcis_type = "QueryParameterException"


class QueryTooLarge(ZhuisuError):
    code = "query.too_large"
    status = 413
    epcis_type = "QueryTooLargeException"


class SubscriptionControlsError(ZhuisuError):
    code = "query.subscription"
    status = 400
    epcis_type = "SubscriptionControlsException"


class InvalidUriError(ZhuisuError):
    code = "query.invalid_uri"
    status = 400
    epcis_type = "InvalidURIException"


class ConfigurationError(ZhuisuError):
    code = "config.invalid"
    status = 500
