"""The login limit, counted in the workspace: atomic, and shared by every server process.

A login attempt first *reserves* its place under the limit, in one write
transaction (writers are serialised), for the client's address and for the
account it names; only then is the password checked. A wrong password
leaves the reservation as a counted failure; a right one releases it. So
sixty concurrent guesses get exactly as many checks as the limit allows,
and a second ``jarjesto serve`` process, or a restarted one, counts the
same failures.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from attrs import frozen

from jarjesto_core.workspace.schema import login_attempts

if TYPE_CHECKING:
    from jarjesto_core.workspace.handle import Workspace

__all__ = ["Reservation", "release", "reserve"]


@frozen
class Reservation:
    """A place under the limit (``ids``), or how long to wait (``retry_after`` seconds)."""

    ids: tuple[int, ...]
    retry_after: int

    @property
    def granted(self) -> bool:
        return self.retry_after == 0


def reserve(
    workspace: Workspace,
    keys: Sequence[str],
    *,
    attempts: int,
    window: float,
    now: float | None = None,
) -> Reservation:
    """Count one attempt for each key, unless a key has had ``attempts`` within ``window`` s."""
    now = time.time() if now is None else now
    since = now - window
    with workspace._transaction(write=True, data=False) as connection:
        connection.execute(login_attempts.delete().where(login_attempts.c.at <= since))
        wait = 0
        for key in keys:
            row = connection.execute(
                sa.select(sa.func.count(), sa.func.min(login_attempts.c.at)).where(
                    login_attempts.c.key == key
                )
            ).one()
            if row[0] >= attempts:
                wait = max(wait, max(1, int(row[1] + window - now + 0.999)))
        if wait:
            return Reservation((), wait)
        ids = tuple(
            int(
                connection.execute(
                    login_attempts.insert().values(key=key, at=now).returning(login_attempts.c.id)
                ).scalar_one()
            )
            for key in keys
        )
    return Reservation(ids, 0)


def release(workspace: Workspace, reservation: Reservation) -> None:
    """The attempt succeeded: it is not a failure, and no longer counts."""
    if not reservation.ids:
        return
    with workspace._transaction(write=True, data=False) as connection:
        connection.execute(login_attempts.delete().where(login_attempts.c.id.in_(reservation.ids)))
