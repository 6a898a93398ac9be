"""The workers' shared table (serving/balance.py), driven directly, with real forked processes."""

from __future__ import annotations

import os
import signal
import threading

from mock_salesforce.serving.balance import Balance


def test_the_table_is_not_left_locked_by_a_worker_killed_while_holding_it() -> None:
    table = Balance(2)
    table.join(1)
    child = os.fork()
    if child == 0:  # a worker, killed in the middle of its turn at the table
        try:
            with table._locked():
                os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    _pid, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status), f"the worker was not killed: status {status}"

    answers: list[tuple[bool, bool]] = []
    other = threading.Thread(target=lambda: answers.append(table.should_listen(1, 0, True)))
    other.start()
    other.join(timeout=10)
    assert not other.is_alive(), "the surviving worker waits for good on the killed one's lock"
    assert answers == [(True, False)], answers
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
    child = os.fork()
    if child == 0:  # a worker, stopped (a debugger, SIGSTOP) in the middle of its turn
        try:
            with table._locked():
                os.kill(os.getpid(), signal.SIGSTOP)
        finally:
            os._exit(0)
    try:
        _pid, status = os.waitpid(child, os.WUNTRACED)
        assert os.WIFSTOPPED(status), f"the worker did not stop: status {status}"
        answers: list[tuple[bool, bool]] = []
        other = threading.Thread(target=lambda: answers.append(table.should_listen(1, 5, True)))
        other.start()
        other.join(timeout=10)
        assert not other.is_alive(), "the other worker waits on the stopped one's lock"
        assert answers == [(True, False)], f"it must go ahead and listen: {answers}"
    finally:
        os.kill(child, signal.SIGCONT)
        os.waitpid(child, 0)
        table.close()
