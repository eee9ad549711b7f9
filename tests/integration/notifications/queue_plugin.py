"""Imported by the workers of test_queue_worker.py (ESPACE_PLUGINS): a periodic job that leaves a
line in a file each time its body runs, triggered every minute and at start."""

from __future__ import annotations

import os
import time

from huey import crontab

from espace.core import jobs


def count_run(*, session, today) -> int:
    time.sleep(1.5)  # long enough for the other worker to try while this one runs
    with open(os.environ["ESPACE_TEST_JOB_MARKER"], "a") as marker:
        marker.write(f"{os.getpid()} {today}\n")
    return 1


jobs.periodic(
    "test-once", crontab(minute="*"), "tests.integration.notifications.queue_plugin:count_run"
)
