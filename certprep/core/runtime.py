"""How a serving process treats Python's cyclic garbage collector.

A served process keeps large, long-lived caches (the plan's schedules, working calendars, days written out per
language) beside what Django loads at start-up. With the collector's defaults, its full passes over all of them
came every few requests and showed as a p95 twice the median on the plan's pages (bench/plan_pages.py: plan page
p50 91 ms, p95 183 ms at 1,500 tasks; with the collector off, p95 86 ms). So: what exists after start-up is frozen
out of the collector's passes, and the youngest generation is collected less often. Reference counting still
frees every object without a cycle at once; cycles wait a little longer, and workers are renewed after
`max_requests` anyway (config/gunicorn.py)."""

from __future__ import annotations

import gc

# Allocations before the youngest generation is collected (Python's default: 700, 10, 10),
# then how many young collections make a middle one, and middle ones an old one.
THRESHOLDS = (20_000, 20, 20)


def tune_garbage_collector() -> None:
    """Call once in a serving process after the application has loaded (gunicorn's post_worker_init)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
