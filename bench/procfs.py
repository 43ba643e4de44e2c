"""The few /proc readings the benchmarks need (Linux only)."""

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    pending, found = [pid], []
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children(current)
    return found


def kib(path: str, key: str) -> int:
    """The ``<key> <n> kB`` line of a /proc file such as status (0 if the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_cpu_seconds(pid: int) -> float:
    """User plus system time of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def busy_cpu_seconds() -> float:
    """CPU time spent by the whole machine so far, outside idle and I/O wait (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each of ``pids`` (0 for one that is gone)."""
    return {pid: process_cpu_seconds(pid) for pid in pids}


def busiest_delta(before: dict[int, float], after: dict[int, float],
                  count: int | None = None) -> float:
    """CPU seconds used between two ``cpu_by_pid`` readings by the ``count`` processes that
    used the most (all of them if None): a server's workers, told apart from its supervisor
    and build processes (which idle during a phase) by what they used."""
    deltas = sorted((used - before.get(pid, 0.0) for pid, used in after.items()), reverse=True)
    return sum(deltas[:count])


def postgres_backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving connections to ``database`` (their command
    line reads ``postgres: [<cluster>:] <user> <database> <client> <activity>``)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if words[:1] == ["postgres:"] and database in words[2:4]:
            found.append(int(cmdline.parent.name))
    return found
