"""The drawing processes a build hands its files to (services/drawing.py): separate interpreters, started with
spawn, draw the same documents the worker's own process draws (read back with pdftotext, python-docx and openpyxl,
in English and Chinese), and a drawing process that dies costs no file: the build draws it itself and the next
build starts a new pool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from certprep.reports.render.samples import sample_content
from certprep.reports.services import drawing
from certprep.reports.services.drawing import Drawer, renderer
from certprep.reports.tests.readers import docx_text, pdf_text, xlsx_cells

READ = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_cells}


@pytest.fixture
def pool_down():
    yield
    drawing.shut_down()


def _children() -> list:
    assert drawing._pool is not None
    return list(drawing._pool._processes.values())  # type: ignore[attr-defined]


def test_the_drawing_processes_draw_what_the_worker_itself_would(pool_down) -> None:
    contents = [sample_content("en"), sample_content("zh-hans")]
    drawer = Drawer(processes=2)
    submitted = [(content, fmt, drawer.submit(content, fmt)) for content in contents for fmt in ("docx", "pdf", "xlsx")]
    for content, fmt, future in submitted:
        drawn = drawer.result(future, content, fmt)
        assert READ[fmt](drawn) == READ[fmt](renderer(fmt)(content)), (content.language, fmt)
    assert "认证可行性方案" in pdf_text(drawer.result(submitted[4][2], contents[1], "pdf"))
    children = _children()
    assert len(children) == 2
    assert all(child.pid != os.getpid() and child.is_alive() for child in children)


def test_a_drawing_process_that_dies_costs_no_file_and_the_next_build_gets_a_new_pool(pool_down) -> None:
    content = sample_content("en")
    drawer = Drawer(processes=1)
    drawer.result(drawer.submit(content, "xlsx"), content, "xlsx")  # the process is up
    broken = drawing._pool
    for child in _children():
        child.kill()
        child.join()
    future = drawer.submit(content, "pdf")
    assert content.title in pdf_text(drawer.result(future, content, "pdf"))
    fresh = Drawer(processes=1)
    assert drawing._pool is not None
    assert drawing._pool is not broken
    assert content.title in docx_text(fresh.result(fresh.submit(content, "docx"), content, "docx"))


def test_the_drawing_processes_leave_when_the_worker_that_started_them_is_killed(tmp_path) -> None:
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "worker.py"
    script.write_text(
        "import time\n"
        "if __name__ == '__main__':  # the drawing processes import this file again (spawn)\n"
        "    import django\n"
        "    django.setup()\n"
        "    from certprep.reports.render.samples import sample_content\n"
        "    from certprep.reports.services import drawing\n"
        "    drawer = drawing.Drawer(processes=2)\n"
        "    content = sample_content('en')\n"
        "    futures = [drawer.submit(content, 'xlsx') for _ in range(4)]\n"
        "    for future in futures:\n"
        "        drawer.result(future, content, 'xlsx')\n"
        "    print(' '.join(str(p) for p in drawing._pool._processes), flush=True)\n"
        "    time.sleep(600)\n",
        encoding="utf-8",
    )
    repository = str(Path(drawing.__file__).resolve().parents[3])
    worker = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=repository,
        env={**os.environ, "PYTHONPATH": repository},
    )
    try:
        children = [int(pid) for pid in worker.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(children) == 2
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        deadline = time.monotonic() + 4 * drawing.PARENT_CHECK_SECONDS
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in children), "a drawing process outlived its killed worker"
    finally:
        if worker.poll() is None:
            worker.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
