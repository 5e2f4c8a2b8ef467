"""The request being served, so that audit events carry its trace id and origin without threading it through."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("koers_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(ip_address: str | None, request_id: str | None = None) -> contextvars.Token:
    return _current.set(RequestContext(request_id=request_id or uuid.uuid4().hex, ip_address=ip_address))


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
