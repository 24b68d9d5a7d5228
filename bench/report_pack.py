"""Time to build the whole report pack for the large benchmark engagement (the code: bench/report_pack_run.py).

    .venv/bin/python bench/report_pack.py              # the figures
    .venv/bin/python bench/report_pack.py --profile    # and where the time goes (cProfile, top functions)

This file only starts it: a build draws its files on processes started with "spawn", which import the command's
own file again, and this one then does nothing (the benchmark's set-up would otherwise delete its database).
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.report_pack_run import main

    raise SystemExit(main())
