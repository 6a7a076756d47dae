"""SQLite writers queue at a lock file beside the database (registration/write_gate.py): a
write transaction holds it from BEGIN IMMEDIATE to its COMMIT or ROLLBACK, readers never."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
import sqlalchemy as sa

from registration.database import IMMEDIATE
from registration.write_gate import gate_for


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/gate.sqlite3")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE seat (n INTEGER)")
    yield engine
    engine.dispose()


def gate_is_free(engine) -> bool:
    """Whether another process could take the gate now (a fresh open file, as theirs is)."""
    fd = os.open(gate_for(engine).path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_a_write_transaction_holds_the_gate_until_it_ends(engine, ending):
    with engine.connect().execution_options(**IMMEDIATE) as conn:
        conn.begin()
        conn.exec_driver_sql("INSERT INTO seat VALUES (1)")
        assert not gate_is_free(engine)
        getattr(conn, ending)()
        assert gate_is_free(engine)
    with engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM seat").scalar()
    assert count == (1 if ending == "commit" else 0)


def test_readers_pass_while_a_writer_holds_the_gate(engine):
    with engine.connect().execution_options(**IMMEDIATE) as writer:
        writer.begin()
        writer.exec_driver_sql("INSERT INTO seat VALUES (1)")
        with engine.connect() as reader:
            assert reader.exec_driver_sql("SELECT count(*) FROM seat").scalar() == 0
        writer.commit()


def test_a_second_writer_waits_for_the_first_and_then_goes_on(engine):
    order: list[str] = []
    first_in = threading.Event()

    def second() -> None:
        first_in.wait(5)
        with engine.connect().execution_options(**IMMEDIATE) as conn, conn.begin():
            order.append("second")
            conn.exec_driver_sql("INSERT INTO seat VALUES (2)")

    thread = threading.Thread(target=second)
    thread.start()
    with engine.connect().execution_options(**IMMEDIATE) as conn, conn.begin():
        first_in.set()
        thread.join(0.3)  # the second is kept out meanwhile
        assert thread.is_alive() and order == []
        order.append("first")
        conn.exec_driver_sql("INSERT INTO seat VALUES (1)")
    thread.join(10)
    assert order == ["first", "second"]
    assert gate_is_free(engine)


def test_a_connection_invalidated_in_a_write_lets_go(engine):
    conn = engine.connect().execution_options(**IMMEDIATE)
    conn.begin()
    conn.exec_driver_sql("INSERT INTO seat VALUES (1)")
    conn.invalidate()
    assert gate_is_free(engine)
    conn.close()


def test_a_thread_writing_on_two_connections_is_not_kept_waiting_for_itself(engine):
    with engine.connect().execution_options(**IMMEDIATE) as outer, outer.begin():
        outer.exec_driver_sql("INSERT INTO seat VALUES (1)")
        inner = engine.connect()
        inner.exec_driver_sql("PRAGMA busy_timeout = 50")
        inner.commit()
        # SQLite itself answers (as it did before the gate), instead of a wait without end.
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            inner.execution_options(**IMMEDIATE).begin()
        inner.close()
