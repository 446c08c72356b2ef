"""A value with a process-wide default that an engine binds for the work it does (the rule profiles, the
working-day calendar, the password hashing): each engine binds its own for the duration of each transaction it
opens, so two engines in one process never see each other's; the default (loaded on first use from its
default place) serves code that runs outside any engine."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")


class Installed(Generic[T]):
    def __init__(self, name: str, load: Callable[[], T]):
        self._load = load
        self._value: T | None = None
        self._lock = threading.Lock()
        self._bound: ContextVar[T | None] = ContextVar(f"mtcflow.{name}", default=None)

    def install(self, value: T) -> T | None:
        """Make ``value`` the process default; returns the previous one (so a test can put it back)."""
        with self._lock:
            previous, self._value = self._value, value
        return previous

    @contextmanager
    def bound(self, value: T) -> Iterator[T]:
        """``value`` is the current one in this thread (or task) until the block ends."""
        token = self._bound.set(value)
        try:
            yield value
        finally:
            self._bound.reset(token)

    def current(self) -> T:
        """The bound value, else the process default."""
        value = self._bound.get()
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                self._value = self._load()
            return self._value
