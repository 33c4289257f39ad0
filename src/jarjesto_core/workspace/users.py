"""The web UI's users and API tokens, kept in the workspace beside the data they change.

Passwords are hashed with Argon2id (argon2-cffi): a memory-hard hash is the
current recommendation for passwords (OWASP), and argon2-cffi rehashes when
its parameters are raised. API tokens are random 32-byte secrets, so a plain
SHA-256 digest is enough to keep them unusable if the database leaks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import secrets
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa
from attrs import frozen

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.i18n import N_, NP_
from jarjesto_core.workspace.schema import ROLES, api_tokens, users, web_sessions

if TYPE_CHECKING:
    from jarjesto_core.workspace.handle import Workspace

__all__ = [
    "ROLES",
    "User",
    "add_user",
    "authenticate",
    "create_token",
    "end_session",
    "get_user",
    "list_users",
    "remove_user",
    "revoke_tokens",
    "session_user",
    "start_session",
    "user_for_token",
]

_NAME_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}\Z")
#: The least length of a password; long passphrases beat complexity rules.
MIN_PASSWORD: Final = 10


@frozen
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a stronger one (admin > editor > viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def add_user(workspace: Workspace, name: str, password: str, role: str) -> User:
    """Add a user, or refuse with a message naming what is wrong."""
    from argon2 import PasswordHasher

    if not _NAME_RE.match(name):
        raise WorkspaceError(
            N_(
                "%(name)s is not a user name: use letters, digits and . _ @ - "
                "(at most 64 characters)"
            ),
            {"name": repr(name)},
        )
    if role not in ROLES:
        raise WorkspaceError(
            N_("unknown role %(role)s: choose from %(choices)s"),
            {"role": repr(role), "choices": ", ".join(ROLES)},
        )
    if len(password) < MIN_PASSWORD:
        raise WorkspaceError(
            NP_(
                "the password is too short: use at least one character",
                "the password is too short: use at least %(count)d characters",
            ),
            {"count": MIN_PASSWORD},
        )
    digest = PasswordHasher().hash(password)
    with workspace._transaction(write=True) as connection:
        if connection.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise WorkspaceError(N_("a user named %(name)s already exists"), {"name": name})
        connection.execute(
            users.insert().values(name=name, role=role, password_hash=digest, created_at=_now())
        )
    return User(name, role)


def get_user(workspace: Workspace, name: str) -> User | None:
    with workspace._transaction(write=False) as connection:
        row = connection.execute(
            sa.select(users.c.name, users.c.role).where(users.c.name == name)
        ).first()
    return None if row is None else User(row.name, row.role)


def list_users(workspace: Workspace) -> tuple[User, ...]:
    with workspace._transaction(write=False) as connection:
        rows = connection.execute(sa.select(users.c.name, users.c.role).order_by(users.c.name))
        return tuple(User(r.name, r.role) for r in rows)


def authenticate(workspace: Workspace, name: str, password: str) -> User | None:
    """The user when the password matches, else None (without saying which part was wrong)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    with workspace._transaction(write=False) as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        # Spend the same time as a real check, so timing does not reveal user names.
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(), password)
        return None
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(row.password_hash):
        with workspace._transaction(write=True) as connection:
            connection.execute(
                users.update()
                .where(users.c.name == name)
                .values(password_hash=hasher.hash(password))
            )
    return User(row.name, row.role)


@functools.cache
def _dummy_hash() -> str:
    """A real hash of a random password, so that refusing an unknown name costs a real check."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(secrets.token_hex(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(workspace: Workspace, name: str) -> str:
    """A new API token for ``name``; shown once, only its digest is stored."""
    token = secrets.token_urlsafe(32)
    with workspace._transaction(write=True) as connection:
        if not connection.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise WorkspaceError(N_("no user named %(name)s"), {"name": name})
        connection.execute(
            api_tokens.insert().values(digest=_digest(token), user_name=name, created_at=_now())
        )
    return token


def user_for_token(workspace: Workspace, token: str) -> User | None:
    with workspace._transaction(write=False) as connection:
        row = connection.execute(
            sa.select(users.c.name, users.c.role)
            .join(api_tokens, api_tokens.c.user_name == users.c.name)
            .where(api_tokens.c.digest == _digest(token))
        ).first()
    return None if row is None else User(row.name, row.role)


def start_session(workspace: Workspace, name: str) -> str:
    """A new web session for ``name``: the token goes in the (signed) cookie, its digest here.

    The session lasts until :func:`end_session` (logout), or until the user is removed:
    a cookie copied before the logout no longer logs anyone in.
    """
    token = secrets.token_urlsafe(32)
    with workspace._transaction(write=True, data=False) as connection:
        connection.execute(
            web_sessions.insert().values(digest=_digest(token), user_name=name, created_at=_now())
        )
    return token


def session_user(workspace: Workspace, token: str) -> User | None:
    """The user of a live session, or None when it ended (or never was)."""
    with workspace._transaction(write=False) as connection:
        row = connection.execute(
            sa.select(users.c.name, users.c.role)
            .join(web_sessions, web_sessions.c.user_name == users.c.name)
            .where(web_sessions.c.digest == _digest(token))
        ).first()
    return None if row is None else User(row.name, row.role)


def end_session(workspace: Workspace, token: str) -> None:
    with workspace._transaction(write=True, data=False) as connection:
        connection.execute(web_sessions.delete().where(web_sessions.c.digest == _digest(token)))


def remove_user(workspace: Workspace, name: str) -> None:
    """Remove a user with their API tokens and web sessions (their audit entries stay)."""
    with workspace._transaction(write=True) as connection:
        gone = connection.execute(users.delete().where(users.c.name == name)).rowcount
        connection.execute(api_tokens.delete().where(api_tokens.c.user_name == name))
        connection.execute(web_sessions.delete().where(web_sessions.c.user_name == name))
    if not gone:
        raise WorkspaceError(N_("no user named %(name)s"), {"name": name})


def revoke_tokens(workspace: Workspace, name: str) -> int:
    """Revoke every API token and web session of ``name``; return how many tokens there were."""
    with workspace._transaction(write=True, data=False) as connection:
        count = connection.execute(api_tokens.delete().where(api_tokens.c.user_name == name))
        connection.execute(web_sessions.delete().where(web_sessions.c.user_name == name))
    return int(count.rowcount or 0)
