"""CPU time and peak memory of the finance import on small hostile workbooks, each in its own process.

Run from the repository root:  python bench/bench_import_bombs.py
Goal (issue 11, item 12): every bomb refused in well under a second and 100 MB, with a Chinese answer.
Before the limits, 2 million blank rows took 9 s and 250 MB, 2 million shared strings 13 s and
400 MB, one row of 600,000 cells 8 s and 570 MB (20 million blank rows: minutes and GBs).
"""
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOMBS = {
    "20 M unnumbered blank rows": "bombs.blank_rows_workbook(20_000_000, numbered=False)",
    "2 M numbered blank rows": "bombs.blank_rows_workbook(2_000_000)",
    "20 k numbered blank rows": "bombs.blank_rows_workbook(20_000)",
    "row numbered 1,000,000": "bombs.far_row_workbook(1_000_000)",
    "2 M shared strings": "bombs.shared_strings_workbook(2_000_000)",
    "one row of 600 k cells": "bombs.wide_row_workbook(600_000)",
}


def measure(expression: str) -> None:
    """In this process: build one bomb, import it, print size, answer, CPU seconds and peak RSS."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SECRET_KEY", "bench")
    from disclosure.importing import read_upload
    from tests.disclosure import bombs

    data = eval(expression, {"bombs": bombs})  # noqa: S307  (our own table above)
    start = time.process_time()
    try:
        answer = f"{len(read_upload('a.xlsx', data))} rows"
    except Exception as exc:  # noqa: BLE001  (we print what it was)
        answer = f"{getattr(exc, 'status', type(exc).__name__)} {getattr(exc, 'code', '')}"
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{len(data) // 1024:>6} KB  {answer:<28} {cpu:6.2f} s CPU  {peak:5d} MB peak")


def main() -> None:
    """One child process per bomb, so each peak memory is its own."""
    for name, expression in BOMBS.items():
        print(f"{name:<28}", end=" ", flush=True)
        subprocess.run([sys.executable, __file__, expression], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(sys.argv[1])
    else:
        main()
