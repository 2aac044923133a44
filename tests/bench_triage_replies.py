"""`manage.py triage_replies` end to end, start-up off: `python -m tests.bench_triage_replies`.

The triage bench's varied replies (20,000 by default) go to a file. Rounds alternate three runs,
each a process of its own reading the file and writing JSON lines to /dev/null:
- the command on the whole file;
- the command on the file's first line: its start-up (Django, the lexicons), taken off the first;
- the floor: the same lines read as JSON and written back as JSON, nothing else, ten times over
  (one pass is too short to time), its own start-up taken off the same way.
Lines a second are counted in the processes' CPU time, which other work on a shared machine
changes less than the wall clock; the wall clock is printed beside it.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from triage.tools.bench import DEFAULT_FILES, replies

ROOT = Path(__file__).resolve().parent.parent

# JSON in, JSON out, with the command's own encoder options, and no triage: PASSES times.
PASSES = 10
FLOOR = f"""
import json, sys
encode = json.JSONEncoder(ensure_ascii=False).encode
with open("/dev/null", "w") as out:
    for _ in range({PASSES}):
        with open(sys.argv[1], encoding="utf-8") as lines:
            for line in lines:
                out.write(encode(json.loads(line)))
"""


def timed(argv: list[str]) -> tuple[float, float]:
    """CPU seconds and wall seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def rate(lines: int, whole: tuple[float, float], start: tuple[float, float]) -> tuple[float, float]:
    """Lines a second in CPU time and by the wall clock, the start-up taken off."""
    cpu, wall = (max(w - s, 1e-6) for w, s in zip(whole, start, strict=True))
    return lines / cpu, lines / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    command = [sys.executable, "manage.py", "triage_replies"]
    floor = [sys.executable, "-c", FLOOR]
    with tempfile.TemporaryDirectory() as tmp:
        every, first = Path(tmp) / "replies.jsonl", Path(tmp) / "first.jsonl"
        lines = replies(DEFAULT_FILES, args.lines)
        every.write_text("\n".join(lines) + "\n", encoding="utf-8")
        first.write_text(lines[0] + "\n", encoding="utf-8")
        runs, floors = [], []
        for _ in range(args.rounds):
            runs.append(
                rate(args.lines, timed([*command, str(every)]), timed([*command, str(first)]))
            )
            floors.append(
                rate(args.lines * PASSES, timed([*floor, str(every)]), timed([*floor, str(first)]))
            )
    cpu = [r[0] for r in runs]
    wall = [r[1] for r in runs]
    floor_cpu = [f[0] for f in floors]
    ratios = [r / f for r, f in zip(cpu, floor_cpu, strict=True)]
    print(f"{args.lines:,} replies, {args.rounds} rounds, start-up taken off")
    print(f"triage_replies lines/s (CPU): {min(cpu):,.0f} - {max(cpu):,.0f}")
    print(f"triage_replies lines/s (wall): {min(wall):,.0f} - {max(wall):,.0f}")
    print(f"JSON in and out alone lines/s (CPU): {min(floor_cpu):,.0f} - {max(floor_cpu):,.0f}")
    print(f"ratio (same round): {min(ratios):.3f} - {max(ratios):.3f}")


if __name__ == "__main__":
    main()
