"""The request being served, so audit events carry its trace id, origin and actor without threading them through."""

import contextvars
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestContext:
    request_id: str
    ip_address: str | None
    request: Any = field(default=None, repr=False)

    @property
    def user(self) -> Any:
        """The signed-in user of the request, for events raised by signals that do not know who acted."""
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("koers_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(ip_address: str | None, request_id: str | None = None, request: Any = None) -> contextvars.Token:
    context = RequestContext(request_id=request_id or uuid.uuid4().hex, ip_address=ip_address, request=request)
    return _current.set(context)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
