"""Small per-client memories that every serving process shares (`rajapiste serve --workers N`).

A client's rate-limit bucket and the time of its last write must be the same whichever worker
its request lands on. They live in fixed slots of a file all workers map (`worker_state_file`,
made by `rajapiste serve`): a client hashes to one slot per region (two clients sharing a slot
share it: rare at 65 536 slots); a slot is read and written under a lock on its bytes (fcntl,
between processes) and a thread lock (within one). Times are CLOCK_MONOTONIC, the same clock
in every process of the machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SLOTS = 1 << 16
SLOT = struct.Struct("dd")
REGIONS = ("rate_limit", "last_write")


class SharedSlots:
    """One region of the shared file: two floats per client slot, (0, 0) where never written."""

    def __init__(self, path: Path, region: str) -> None:
        size = len(REGIONS) * SLOTS * SLOT.size
        self.base = REGIONS.index(region) * SLOTS * SLOT.size
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self.fd).st_size < size:
            os.ftruncate(self.fd, size)
        self.map = mmap.mmap(self.fd, size)
        self.lock = threading.Lock()

    def update(self, key: str, change: Callable[[float, float], tuple[float, float, T]]) -> T:
        """Replace the client's two values by what `change` makes of them; return its result."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        at = self.base + int.from_bytes(digest, "little") % SLOTS * SLOT.size
        with self.lock:
            fcntl.lockf(self.fd, fcntl.LOCK_EX, SLOT.size, at)
            try:
                a, b, result = change(*SLOT.unpack_from(self.map, at))
                SLOT.pack_into(self.map, at, a, b)
            finally:
                fcntl.lockf(self.fd, fcntl.LOCK_UN, SLOT.size, at)
        return result
