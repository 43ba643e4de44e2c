"""The benchmarks' report helpers: Markdown tables, sizes and the machine's description."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path


def kib(size: int) -> str:
    return f"{size / 1024:.1f} KiB"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                   .splitlines() if line.startswith("MemTotal:"))
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                  .splitlines() if line.startswith("model name")), platform.machine())
    from reflex import constants

    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs ({model}); "
            f"{mem_kib / 1024 ** 2:.1f} GiB RAM; load average {load}; "
            f"Python {platform.python_version()}; Reflex {constants.Reflex.VERSION}")
