"""Running a test's threads at once, their errors raised in the test itself.

An exception (a failed ``assert`` included) in a plain ``threading.Thread``
reaches the test only as pytest's unhandled-thread-exception warning, which
this project's settings turn into an error; :func:`at_once` raises the
exception itself, with its own traceback, and never leaves a thread behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(count: int, target: Callable[[int], object], *, timeout: float = 60) -> None:
    """Call ``target(0)`` ... ``target(count - 1)``, each in its own thread, released together.

    Waits for all of them (at most ``timeout`` seconds each) and raises the first
    exception any of them raised.
    """
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait(timeout=timeout)
            target(n)
        except BaseException as exc:  # re-raised in the test's own thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"a thread of {count} still runs after {timeout} s")
    if errors:
        raise errors[0]
