"""Drawing a build's files on every core: the worker gathers each document (database reads, in its own process)
and hands the drawing (Word, PDF, Excel: pure work on a `Content`, no database) to a pool of drawing processes, so
that the PDF of one document is laid out while the next is gathered and the Word of another is written.

The pool's processes are started with "spawn" (a fresh interpreter that sets Django up from the same settings), not
forked: the worker may have threads (the test suite runs it in one beside a live server) and a fork would copy
their locks in whatever state they are. They start on the first build and stay for the worker's life, with the
renderers and fonts loaded, so later builds pay nothing to start. A drawing process that dies (killed, out of
memory) breaks the pool: the build in progress draws the rest of its files in the worker's own process, and the
next build starts a new pool. A worker that is killed takes its drawing processes with it: each leaves within
seconds of its parent's end.

CERTPREP_REPORT_PROCESSES sets how many drawing processes: by default one per core, at most four; 0 draws in the
worker's own process (the test settings do, but for the test that draws through the pool)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

from certprep.reports.render import Content

logger = logging.getLogger(__name__)
MAX_DEFAULT_PROCESSES = 4

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def process_count() -> int:
    """How many drawing processes a build uses (0: none, draw in this process)."""
    configured = getattr(settings, "CERTPREP_REPORT_PROCESSES", None)
    if configured is None:
        return min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES)
    return max(0, int(configured))


def renderer(fmt: str) -> Callable[[Content], bytes]:
    """The renderer of a format (imported when first needed: WeasyPrint takes a while to load)."""
    if fmt == "docx":
        from certprep.reports.render.docx import to_docx

        return to_docx
    if fmt == "pdf":
        from certprep.reports.render.pdf import to_pdf

        return to_pdf
    from certprep.reports.render.xlsx import to_xlsx

    return to_xlsx


PARENT_CHECK_SECONDS = 5


def _leave_with_parent(parent: int) -> None:
    """A drawing process outlives a worker that was killed (SIGKILL: no shutdown reaches the pool); it leaves as
    soon as its parent is gone instead of idling for ever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _start_drawing_process(parent: int) -> None:
    """Runs first in each drawing process: Django set up from the worker's settings, the renderers loaded, and a
    watch on the worker that started it."""
    threading.Thread(target=_leave_with_parent, args=(parent,), daemon=True, name="parent-watch").start()
    import django

    django.setup()
    for fmt in ("docx", "pdf", "xlsx"):
        renderer(fmt)
    from certprep.core.runtime import tune_garbage_collector

    # A drawing makes hundreds of thousands of short-lived objects (WeasyPrint's boxes): with the collector's
    # defaults its passes over the loaded libraries took about a tenth of the drawing time (bench/README.md).
    tune_garbage_collector()


def _draw(content: Content, fmt: str) -> bytes:
    return renderer(fmt)(content)


def _shared_pool(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = ProcessPoolExecutor(
                max_workers=size,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_drawing_process,
                initargs=(os.getpid(),),
            )
            _pool_size = size
        return _pool


def _forget_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def shut_down() -> None:
    """Stop the drawing processes (a worker that exits; tests)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


class Drawer:
    """Draws one build's files: `submit` returns at once with a future of the file's bytes; `result` waits for it.
    With no drawing process, `submit` draws at once in this process."""

    def __init__(self, processes: int | None = None) -> None:
        size = process_count() if processes is None else processes
        self._pool = _shared_pool(size) if size > 0 else None

    def submit(self, content: Content, fmt: str) -> Future[bytes]:
        if self._pool is not None:
            try:
                return self._pool.submit(_draw, content, fmt)
            except (BrokenProcessPool, RuntimeError):
                self._fall_back()
        return self._here(content, fmt)

    def result(self, future: Future[bytes], content: Content, fmt: str) -> bytes:
        """The bytes of a submitted file; drawn again here if its drawing process died under it."""
        try:
            return future.result()
        except BrokenProcessPool:
            self._fall_back()
            return renderer(fmt)(content)

    def _fall_back(self) -> None:
        if self._pool is not None:
            logger.warning("A report drawing process died; this build draws the rest of its files in the worker.")
            _forget_pool(self._pool)
            self._pool = None

    @staticmethod
    def _here(content: Content, fmt: str) -> Future[bytes]:
        future: Future[bytes] = Future()
        try:
            future.set_result(renderer(fmt)(content))
        except Exception as exc:  # handed over as the pool would hand it: raised by result()
            future.set_exception(exc)
        return future
