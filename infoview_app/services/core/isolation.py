"""Work on untrusted input in a child process, within a time and a memory budget.

Parsing an upload is CPU work on input that anyone signed in chooses. It runs neither on the
event loop nor in a thread of the server: a thread shares the interpreter lock with the event
loop, and some of that work holds the lock for as long as it takes (a regular expression
matches in one call, and vobject's property pattern backtracks exponentially on some lines),
so one upload could still freeze every socket. Instead:

- the work runs in a child process forked from a fork server, a process started clean once
  (never forked from the server itself, whose threads may hold locks at that moment), which
  has already imported the work's module, so a child starts in milliseconds;
- the child is killed when its time is up (``OutOfTime``);
- its address space may grow by at most the memory budget (Linux ``RLIMIT_AS``): past that,
  allocations fail in the child (``OutOfMemory``) and the server's memory is not touched;
- at most ``CHILDREN`` children run at once; further calls wait their turn in a queue, not in
  threads and not on the event loop.

The function and its arguments travel to the child by pickling, its result and any exception
it raises (a ServiceError keeps its message and field) travel back the same way. As in every
multiprocessing child, the program's main module is imported there as ``__mp_main__`` (the
app's entry points, reflex's command and pytest, do their work only under ``__main__``):
measured, a child costs a few dozen milliseconds (docs/benchmarks.md, (i)).
"""

import asyncio
import multiprocessing
import resource
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

CHILDREN = 2
_PROC_STATUS = Path("/proc/self/status")


class Budget(NamedTuple):
    seconds: float
    memory_bytes: int


class OutOfTime(Exception):
    """The work did not finish within its time budget and was stopped."""


class OutOfMemory(Exception):
    """The work needed more memory than its budget (or its process died) and was stopped."""


_waiting_room = ThreadPoolExecutor(max_workers=CHILDREN, thread_name_prefix="infoview-isolated")
_start_lock = threading.Lock()
_context: Any = None


def _fork_server(preload: str) -> Any:
    """The fork-server context, its server preloading ``preload`` (fixed at the first call)."""
    global _context
    with _start_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload([preload])
        return _context


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where /proc is absent."""
    try:
        status = _PROC_STATUS.read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return None


def _child(channel: Connection, work: Callable[..., Any], args: tuple[Any, ...],
           memory_bytes: int) -> None:
    size = _address_space()
    if size is not None:
        resource.setrlimit(resource.RLIMIT_AS, (size + memory_bytes, resource.RLIM_INFINITY))
    try:
        outcome: tuple[str, Any] = ("done", work(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:
        outcome = ("raised", error)
    try:
        channel.send(outcome)
    except MemoryError:
        pass  # the parent reads the child's silent end as OutOfMemory
    except Exception as error:  # a result or an exception that does not pickle
        channel.send(("raised", RuntimeError(f"{work.__qualname__}: {error!r}")))


def run_blocking(work: Callable[..., Any], *args: Any, budget: Budget) -> Any:
    """``work(*args)`` in a child process; blocks the calling thread until it is done."""
    context = _fork_server(work.__module__)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, work, args, budget.memory_bytes),
                            name="infoview-isolated", daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(budget.seconds):
            raise OutOfTime(f"{work.__qualname__} took longer than {budget.seconds} s")
        try:
            kind, value = receiver.recv()
        except EOFError:
            raise OutOfMemory(f"{work.__qualname__} ended without an answer") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "memory":
        raise OutOfMemory(f"{work.__qualname__} needed more than {budget.memory_bytes} bytes")
    if kind == "raised":
        raise value
    return value


async def run(work: Callable[..., Any], *args: Any, budget: Budget) -> Any:
    """``work(*args)`` in a child process (see the module's text), awaited without blocking
    the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_waiting_room,
                                      lambda: run_blocking(work, *args, budget=budget))
