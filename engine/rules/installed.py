"""A process-wide default that can be swapped whole (the rule profiles, the working-day calendar): loaded on
first use from its default place, replaced by the server at start-up and by tests."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Installed(Generic[T]):
    def __init__(self, load: Callable[[], T]):
        self._load = load
        self._value: T | None = None
        self._lock = threading.Lock()

    def install(self, value: T) -> T | None:
        """Make ``value`` the one in use; returns the previous one (so a test can put it back)."""
        with self._lock:
            previous, self._value = self._value, value
        return previous

    def current(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._load()
            return self._value
