"""Async REST client of the Telnyx Call Control API (httpx + pydantic, no Qt).

Public names: :class:`TelnyxClient`, :class:`RetryPolicy`, the response models, the phone
helpers, and the exception tree of :mod:`console.telnyx.errors`.
"""

from .client import DEFAULT_BASE_URL, USER_AGENT, TelnyxClient
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TelnyxError,
    TelnyxInputError,
    UnprocessableEntityError,
)
from .phone import (
    InvalidPhoneNumber,
    is_sip_uri,
    normalize_destination,
    normalize_dial_string,
    normalize_e164,
)
from .responses import (
    ActiveCall,
    Call,
    CallControlApplication,
    CommandResult,
    Conference,
    DialResult,
    Participant,
    Queue,
    QueueCall,
    Recording,
    decode_client_state,
    encode_client_state,
)
from .retry import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "APIError",
    "ActiveCall",
    "AuthenticationError",
    "BadRequestError",
    "Call",
    "CallControlApplication",
    "CommandResult",
    "Conference",
    "ConflictError",
    "DialResult",
    "ErrorDetail",
    "InvalidPhoneNumber",
    "NetworkError",
    "NotFoundError",
    "Participant",
    "PermissionDeniedError",
    "Queue",
    "QueueCall",
    "RateLimitError",
    "Recording",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServerError",
    "TelnyxClient",
    "TelnyxError",
    "TelnyxInputError",
    "UnprocessableEntityError",
    "decode_client_state",
    "encode_client_state",
    "is_sip_uri",
    "normalize_destination",
    "normalize_dial_string",
    "normalize_e164",
]
