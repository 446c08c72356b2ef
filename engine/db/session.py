"""Database engine and transactions: one transaction per action, SQLite as a single writer."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, InvalidInput, Unavailable

RETRY_SECONDS = 5  # Retry-After of a 503 while the database is away


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs) -> Engine:
    """Build an engine; on SQLite every transaction is ``BEGIN IMMEDIATE`` so writers queue instead of
    losing updates (pysqlite's own transaction handling does not). Statement parameters (password hashes,
    token digests, form data) are kept out of error messages and logs."""
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as err:  # the driver is an extra: the embedded default runs without it
        raise RuntimeError(f"{url.split(':', 1)[0]} needs its database driver ({err.name}): "
                           "pip install 'mtcflow[postgres]'") from err
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_session)
    return engine


def _postgresql_session(dbapi_connection, _record) -> None:
    """JIT off: the inbox's OR of grants with duty sub-plans is estimated past ``jit_above_cost`` and
    PostgreSQL spent ~18 ms compiling a query that runs in 6; short OLTP queries never gain from it."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


OUTERMOST_ONLY = frozenset({"before_commit", "after_commit", "after_rollback"})


class Database:
    """Owns the engine and hands out transactions; engine code flushes, only this commits.

    ``bind`` returns a context entered around each transaction (the owning engine's profiles, calendar and
    hashing, see WorkflowEngine.bound), so what runs inside, commit hooks included, reads that engine's."""

    def __init__(self, url: str, bind: Callable[[], AbstractContextManager] = nullcontext, **engine_kwargs):
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._bind = bind
        self._active: ContextVar[Session | None] = ContextVar(f"mtcflow.session.{id(self)}", default=None)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error; driver errors become
        engine errors (409 for lost races, 503 when the database is away)."""
        session = self._sessions()
        active = self._active.set(session)
        try:
            with self._bind(), session.begin():
                yield session
        except StaleDataError as err:
            raise Conflict("The instance was changed by a concurrent action; reload and retry.") from err
        except exc.DataError as err:  # PostgreSQL refuses what SQLite stores: NUL characters, overlong values
            first = str(err.orig).splitlines()[0] if err.orig else "value refused"
            raise InvalidInput(f"A value cannot be stored ({first}); remove NUL characters and keep to the "
                               "documented lengths and ranges.") from err
        except exc.IntegrityError as err:
            raise Conflict("A concurrent action stored the same record first; reload and retry.") from err
        except exc.OperationalError as err:
            message = str(err.orig) if err.orig else str(err)
            if "locked" in message or "could not serialize" in message or "deadlock" in message:
                raise Conflict("The database is busy with a concurrent action; retry.") from err
            raise Unavailable("The database is not reachable; retry shortly.", retry_after=RETRY_SECONDS) from err
        except exc.InterfaceError as err:
            raise Unavailable("The database is not reachable; retry shortly.", retry_after=RETRY_SECONDS) from err
        finally:
            self._active.reset(active)
            session.close()

    def active_session(self) -> Session | None:
        """The session of the transaction this thread (or task) is inside, if any: for lookups made deep in other
        work (the calendar asking for an entered year), which on SQLite must not open a second connection."""
        return self._active.get()

    def listen(self, identifier: str, fn: Callable) -> None:
        """Attach a Session event listener to this database's sessions only, not to every Session in the process.

        SQLAlchemy also fires ``before_commit``, ``after_commit`` and ``after_rollback`` when a savepoint is
        released or rolled back (a service task runs in one): those listeners see the outermost transaction only."""
        if identifier in OUTERMOST_ONLY:
            inner = fn

            def fn(session, *args, _inner=inner):
                if not session.in_nested_transaction():
                    return _inner(session, *args)
        event.listen(self._sessions, identifier, fn)

    def dispose(self) -> None:
        self.engine.dispose()
