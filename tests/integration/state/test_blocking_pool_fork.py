"""A process forked after the handlers' pool has run work (a server forking its workers after
import; mutmut runs each mutant's tests in a fork) gets a pool of its own: blocking work queued
there runs instead of waiting forever for threads that were not forked."""

from __future__ import annotations

import asyncio
import os
import signal

from espace.state import handlers


def test_a_forked_process_runs_its_blocking_work():
    assert asyncio.run(handlers.off_loop(lambda: 1)) == 1  # the parent's pool has a thread now
    pid = os.fork()
    if pid == 0:  # the child: a hang ends with SIGALRM after 20 s
        try:
            signal.alarm(20)
            os._exit(0 if asyncio.run(handlers.off_loop(lambda: 2)) == 2 else 1)
        except BaseException:
            os._exit(2)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
