"""The session store (SESSION_ENGINE): Django's database sessions, refusing a malformed key.

A `sessionid` cookie is whatever the client sends. Django only checks a key's length, so a key
holding a NUL byte reached the query and PostgreSQL refused it: a 500 on any page or API call.
Keys we issue are 32 lower-case letters and digits; anything else is no session at all.
"""

import re

from django.contrib.sessions.backends import db

_KEY = re.compile(r"[a-z0-9]{8,64}", re.ASCII)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and _KEY.fullmatch(key or "") is not None
