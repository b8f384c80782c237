"""Our calendars read by an independent parser, the way Thunderbird reads them."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import service_missing

SCRIPT = Path(__file__).with_name("parse_with_icaljs.mjs")


def read_with_icaljs(body: bytes) -> dict:
    """{"method": …, "events": [{"uid", "summary", "start", "end" (UTC, ISO), "tzid" …}]}"""
    node = shutil.which("node")
    if node is None:
        service_missing("node is not installed: the calendars cannot be checked with ical.js")
    result = subprocess.run(
        [node, str(SCRIPT)], input=body, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def by_uid(parsed: dict) -> dict[str, dict]:
    return {event["uid"]: event for event in parsed["events"]}
