"""What both benchmarks need of the machine: a free port, a process's peak memory, the memory.

``bench/run.py`` (whole processes) and ``bench/stages.py`` (stages in one process)
are run as scripts, so this module is found beside them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

__all__ = ["free_port", "memory_total", "peak_mb"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def peak_mb(pid: int) -> float | None:
    """A live process's peak resident memory (Linux's VmHWM), or None where /proc has none."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def memory_total() -> str:
    """The machine's memory as ``free -h`` writes it ("23Gi"), or "?" without ``free``."""
    free = shutil.which("free")
    if free is None:
        return "?"
    return (
        subprocess.run([free, "-h"], capture_output=True, text=True)
        .stdout.splitlines()[1]
        .split()[1]
    )
