"""benchmarks/bench.sh (`make bench`) calls modules and flags that exist: a renamed flag would
otherwise surface only after an hour of seeding. Each command's --help is read in a subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (ROOT / "benchmarks" / "bench.sh").read_text(encoding="utf-8")


def _commands() -> list[tuple[list[str], set[str]]]:
    """Each `$PY -m benchmarks.X ...` or `$PY manage.py CMD ...` of the script, with its --flags."""
    joined = SCRIPT.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        if match := re.search(r"\$PY -m (benchmarks\.\w+)(.*)", line):
            argv, rest = ["-m", match.group(1)], match.group(2)
        elif match := re.search(r"\$PY manage\.py (\w+)(.*)", line):
            argv, rest = ["manage.py", match.group(1)], match.group(2)
        else:
            continue
        found.append((argv, set(re.findall(r"(--[a-z][a-z-]*)", rest.split("|")[0]))))
    return found


def test_the_script_runs_every_benchmark() -> None:
    modules = {argv[1] for argv, _ in _commands() if argv[0] == "-m"}
    assert {"benchmarks.run", "benchmarks.documents", "benchmarks.load", "benchmarks.sweep"} <= (
        modules
    )
    assert (["manage.py", "seed_scale"], {"--profile", "--fraction"}) in _commands()


@pytest.mark.parametrize(
    ("argv", "flags"),
    [(argv, flags) for argv, flags in _commands() if argv != ["-m", "benchmarks.dbs"]],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_every_flag_the_script_passes_is_accepted(argv: list[str], flags: set[str]) -> None:
    out = subprocess.run(
        [sys.executable, *argv, "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    missing = sorted(flag for flag in flags if flag not in out)
    assert not missing, f"{' '.join(argv)} does not take {missing}"
