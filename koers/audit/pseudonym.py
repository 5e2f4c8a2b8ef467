"""The pseudonym of a client in the processing log: stable per client, meaningless without KOERS_PSEUDONYM_KEY."""

import hashlib
import hmac

from django.conf import settings


def client_pseudonym(client_id: int) -> str:
    return hmac.new(settings.KOERS_PSEUDONYM_KEY.encode(), str(client_id).encode(), hashlib.sha256).hexdigest()
