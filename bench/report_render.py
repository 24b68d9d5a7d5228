"""Time the report renderers (certprep/reports/render) on a large report, without a database.

    .venv/bin/python bench/report_render.py            # 15 sections, 40 tables of 50 rows, 10 charts; en and zh
    .venv/bin/python bench/report_render.py --runs 3 --profile pdf

The content is certprep.reports.render.samples.sample_content: every block kind, tables with numeric columns and
workbook values, charts shaped like the product's (text in both languages). Each format is drawn `--runs` times
per language after one warm-up (the first PDF pays for the fonts and the stylesheet once per process: printed
apart). Printed: the best and median seconds per document and the size. Figures are printed, never asserted.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from bench.figures import machine_lines
from certprep.reports.render import Content
from certprep.reports.render.docx import to_docx
from certprep.reports.render.pdf import to_pdf
from certprep.reports.render.samples import sample_content
from certprep.reports.render.xlsx import to_xlsx

RENDERERS: dict[str, Callable[[Content], bytes]] = {"docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}


def timed(render: Callable[[Content], bytes], content: Content) -> tuple[float, float, int]:
    """Wall seconds, this process's CPU seconds (less swayed by other work on a shared machine) and bytes."""
    start, cpu = time.perf_counter(), time.process_time()
    size = len(render(content))
    return time.perf_counter() - start, time.process_time() - cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=15)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--figures", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=sorted(RENDERERS), help="profile one zh run of this format")
    options = parser.parse_args()
    print("\n".join(machine_lines(f"django   {django.get_version()}")))
    print(f"load     {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min) when starting")
    print(
        f"content  {options.sections} sections, {options.tables} tables of {options.rows} rows, "
        f"{options.figures} charts\n"
    )
    contents = {
        language: sample_content(
            language, sections=options.sections, tables=options.tables, rows=options.rows, figures=options.figures
        )
        for language in ("en", "zh-hans")
    }
    first, _cpu, _size = timed(to_pdf, sample_content("en", sections=1, tables=1, rows=1, figures=1))
    print(f"first PDF of the process (fonts, stylesheet): {first:.2f} s for a one-page report\n")
    print(f"{'format':<7}{'language':<10}{'best s':>8}{'median s':>10}{'CPU median s':>14}{'size kB':>10}")
    total = total_cpu = 0.0
    for name, render in RENDERERS.items():
        for language, content in contents.items():
            samples = [timed(render, content) for _n in range(options.runs)]
            seconds = [sample[0] for sample in samples]
            cpu = statistics.median(sample[1] for sample in samples)
            total += statistics.median(seconds)
            total_cpu += cpu
            print(
                f"{name:<7}{language:<10}{min(seconds):>8.2f}{statistics.median(seconds):>10.2f}{cpu:>14.2f}"
                f"{samples[0][2] / 1024:>10.0f}"
            )
    print(f"\nall six documents (median each): {total:.2f} s wall, {total_cpu:.2f} s CPU")
    print(f"load     {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min) when done")
    if options.profile:
        profiler = cProfile.Profile()
        profiler.runcall(RENDERERS[options.profile], contents["zh-hans"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
