"""Share-link tokens: the link's id, signed, so a URL cannot be guessed or altered.

Whether a link still works (not revoked, not expired) is the row's business (ShareLink.is_usable).
"""

from django.core import signing

SALT = "reports.share-link"


def token_for(link_id: int) -> str:
    return signing.dumps(link_id, salt=SALT)


def link_id_from(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
