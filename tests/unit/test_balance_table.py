"""The workers' shared table (serving/balance.py), driven directly, with real forked processes."""

from __future__ import annotations

import os
import signal
import threading

from mock_salesforce.serving.balance import Balance


def _worker_signalled_at_the_table(table: Balance, signum: int) -> int:
    """A forked worker that gets ``signum`` while it holds the table's lock; its pid."""
    child = os.fork()
    if child == 0:
        try:
            with table._locked():
                os.kill(os.getpid(), signum)
        finally:
            os._exit(0)
    return child


def _answer_of_the_other_worker(table: Balance, held: int) -> list[tuple[bool, bool]]:
    """Worker 1's answer, asked in a thread that must not be kept waiting."""
    answers: list[tuple[bool, bool]] = []
    other = threading.Thread(target=lambda: answers.append(table.should_listen(1, held, True)))
    other.start()
    other.join(timeout=10)
    assert not other.is_alive(), "the other worker waits for good on the first one's lock"
    return answers


def test_the_table_is_not_left_locked_by_a_worker_killed_while_holding_it() -> None:
    table = Balance(2)
    table.join(1)
    child = _worker_signalled_at_the_table(table, signal.SIGKILL)
    _pid, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status), f"the worker was not killed: status {status}"
    assert _answer_of_the_other_worker(table, 0) == [(True, False)]
    table.close()


def test_a_worker_holding_more_listens_only_when_no_other_does() -> None:
    table = Balance(2)
    try:
        table.join(0)
        table.join(1)
        assert table.should_listen(0, 0, True) == (True, False), "holding no more than the other"
        # Holding more while the other listens: new connections are left to the other.
        assert table.should_listen(1, 1, True) == (False, False)
        # Holding more while no other listens: forced, first deferring, then listening.
        assert table.should_listen(0, 2, True) == (False, True)
        assert table.should_listen(0, 2, False) == (True, True)
        assert table.should_listen(1, 1, True) == (True, False), "now holding fewer: listens"
        assert table.should_listen(0, 2, True) == (False, False), "the other listens again"
        table.leave(1)
        assert table.should_listen(0, 2, True) == (True, False), "the only worker left listens"
    finally:
        table.close()


def test_a_worker_stopped_while_holding_the_table_does_not_stop_the_others() -> None:
    table = Balance(2)
    table.join(1)
    child = _worker_signalled_at_the_table(table, signal.SIGSTOP)
    try:
        _pid, status = os.waitpid(child, os.WUNTRACED)
        assert os.WIFSTOPPED(status), f"the worker did not stop: status {status}"
        answers = _answer_of_the_other_worker(table, 5)
        assert answers == [(True, False)], f"it must go ahead and listen: {answers}"
    finally:
        os.kill(child, signal.SIGCONT)
        os.waitpid(child, 0)
        table.close()
