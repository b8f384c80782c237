"""Periodic jobs run by the mail worker (`flask mail work`) on every pass: expiring
waiting-list offers, reminders … Each job takes the current time and commits its own work,
so that one failing job neither blocks the others nor loses what they did."""

from collections.abc import Callable
from datetime import datetime

PERIODIC: list[Callable[[datetime], object]] = []


def periodic(job: Callable[[datetime], object]) -> Callable[[datetime], object]:
    """Register a job; it is called as job(now) inside an app context."""
    PERIODIC.append(job)
    return job
