"""The request being served, so audit events carry its trace id, origin and actor without threading them through.

The request id is a W3C trace id (32 hex digits), shared by the audit events and processing-log rows of a request.
"""

import contextvars
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestContext:
    request_id: str
    ip_address: str | None
    request: Any = field(default=None, repr=False)
    # The caller's span when the trace came in with a W3C traceparent header.
    parent_span_id: str = ""

    @property
    def user(self) -> Any:
        """The signed-in user of the request, for events raised by signals that do not know who acted."""
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("koers_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(
    ip_address: str | None, request_id: str | None = None, request: Any = None, parent_span_id: str = ""
) -> contextvars.Token:
    context = RequestContext(
        request_id=request_id or uuid.uuid4().hex, ip_address=ip_address, request=request, parent_span_id=parent_span_id
    )
    return _current.set(context)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
