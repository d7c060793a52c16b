"""Work shared with forked copies of this process: the check's per-file work on many files, and
a build's pages (`fork_map`).

A child runs `work(argument)` on memory it inherited (nothing is sent to it: the graph is shared
for free, copy-on-write) and sends back the result through a pipe, as marshal data (plain
values) or pickled. A child that fails for any reason
gives None, and the caller does that share itself: the result never depends on how the work was
split, only the time does. Forking is used only where it is safe and pays: on Linux, in a
process with no other thread (a thread could hold a lock the child would wait on for ever),
for many files, with a core idle for each child.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import select
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
PROCESSES_ENV = "TIMELINE_PROCESSES"  # 1: never fork; 2 or more: that many processes, even for few files or when busy
MAX_PROCESSES = 4
MIN_JOBS = 1000  # below this a child's start and the merge cost about what it saves
MIN_PAGES = 200  # the same for a build's pages, each of which costs far more than a file's check
CHUNK = 250  # items a forked child does before it ends (fork_map); each fork costs a few ms


def processes(jobs: int, minimum: int = MIN_JOBS, mind_load: bool = True) -> int:
    """How many processes (this one included) should share `jobs` files of work."""
    setting = os.environ.get(PROCESSES_ENV, "").strip()
    if setting == "1" or jobs < 2 or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    if setting.isdigit() and int(setting) > 1:
        return min(int(setting), MAX_PROCESSES, jobs)
    if jobs < minimum:
        return 1
    cpus = len(os.sched_getaffinity(0))
    if not mind_load:
        return min(cpus, MAX_PROCESSES)
    # A child helps only on a core with nothing else to do: on a busy machine (measured at a
    # load of 3.5 on 2 cores) the two processes took 18% longer than one.
    idle = cpus - os.getloadavg()[0]
    return max(1, min(cpus, MAX_PROCESSES, 1 + int(idle + 0.5))) if idle >= 0.5 else 1


class Child:
    """A forked process working on one share; `result()` waits for what it sends."""

    def __init__(self, work: Callable[[Any], Any], argument: Any, codec: Any = marshal) -> None:
        self.codec = codec  # a module with dumps and loads: marshal, or pickle for any value
        for stream in (sys.stdout, sys.stderr):  # else text buffered here would be written twice
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        self.pid, self.read_end = -1, -1
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return  # no child: result() gives None, and the caller does the share
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if self.pid == 0:  # pragma: no cover (the child; coverage does not follow a fork)
            code = 1
            try:
                os.close(read_end)
                payload = codec.dumps(work(argument))
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                code = 0
            except BaseException:  # the parent does this share itself, and raises whatever it raises
                pass
            finally:
                os._exit(code)  # no atexit handlers, no second flush of inherited buffers
        os.close(write_end)
        self.read_end = read_end

    def discard(self) -> None:
        """Stop waiting for the child: it fails on the closed pipe, if it is still at work."""
        if self.pid > 0:
            os.close(self.read_end)
            os.waitpid(self.pid, 0)

    def result(self) -> Any | None:
        """What the child's work returned, or None if the child failed (or never started)."""
        if self.pid < 0:
            return None
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return self.codec.loads(payload)
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            return None


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def planned(items: int, workers: int | None = None) -> int:
    """How many processes `fork_map` would share that many items between (1: all done here)."""
    if workers is None:
        # A build's phases are long: the load average, a minute behind, would count the
        # previous build against this one (measured: builds in a row then ran on one core).
        return processes(items, MIN_PAGES, mind_load=False)
    return max(1, min(workers, MAX_PROCESSES, items)) if can_fork() else 1


def fork_map(
    work: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None, chunk: int = CHUNK
) -> list[Result]:
    """[work(item) for item in items], with forked children taking chunks of `chunk` items from
    the front while this process takes items one by one from the back, so that all finish
    together; results in order, whatever the split. `work` runs in a copy of this process: what
    it changes there is lost, only what it returns comes back.

    A child lives for one chunk only. Each page a child touches is copied into it (reading an
    object writes its reference count), so a child that did half a build would end up holding a
    copy of half of everything: measured at 4,000 events, all processes together then peaked at
    1.35x a plain build's memory."""
    count = planned(len(items), workers)
    if count <= 1:
        return [work(item) for item in items]

    def each(bounds: tuple[int, int]) -> list[Result]:
        return [work(items[k]) for k in range(*bounds)]

    results: list[Any] = [None] * len(items)
    front, back = 0, len(items)  # children take [front, ...), this process takes back - 1
    running: dict[int, tuple[Child, tuple[int, int]]] = {}  # read end -> the child and its chunk
    try:
        while front < back or running:
            while len(running) < count - 1 and front < back:
                # Never more than an even share of what is left, or this process would wait idle.
                bounds = (front, front + min(chunk, max(1, (back - front) // count)))
                front = bounds[1]
                child = Child(each, bounds, codec=pickle)
                if child.pid < 0:  # could not fork: done here
                    results[bounds[0] : bounds[1]] = each(bounds)
                    continue
                running[child.read_end] = (child, bounds)
            ready = select.select(list(running), [], [], 0 if front < back else None)[0] if running else []
            for read_end in ready:
                child, bounds = running.pop(read_end)
                sent = child.result()
                if not isinstance(sent, list) or len(sent) != bounds[1] - bounds[0]:
                    sent = each(bounds)  # a failed child: done here
                results[bounds[0] : bounds[1]] = sent
            if front < back:
                back -= 1
                results[back] = work(items[back])
    except BaseException:
        for child, _ in running.values():
            child.discard()
        raise
    return results
