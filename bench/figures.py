"""What every benchmark prints alike: the machine it ran on and percentiles of its samples."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), or "" where it cannot be read."""
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return ""
    lines = cpuinfo.read_text().splitlines()
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")


def machine_lines(*extra: str) -> list[str]:
    """Python, the CPUs and SQLite, one per line, then `extra` lines."""
    cpu = cpu_model()
    return [
        f"python   {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
        f"cpus     {os.cpu_count()}{f' x {cpu}' if cpu else ''}",
        f"sqlite   {sqlite3.sqlite_version}",
        *extra,
    ]


def percentile(samples: list[float], percent: int) -> float:
    """The `percent`th percentile (inclusive method); the sample itself when there is one, 0 when none."""
    if not samples:
        return 0.0
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]
