"""fork_map: a build's work spread over forked processes, results back in order."""

from __future__ import annotations

import os
import time

import pytest
from ai_timeline import forked


def _where(item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough for a forked child to start before this process has done everything
    return item * item, os.getpid()


@pytest.mark.parametrize("count", [0, 1, 2, 3, 10, 101])
def test_results_come_back_in_order_whatever_the_count(count):
    items = list(range(count))
    assert [square for square, _ in forked.fork_map(_where, items, workers=3)] == [i * i for i in items]


@pytest.mark.skipif(not forked.can_fork(), reason="fork is not available here (threads running, or not POSIX)")
def test_the_work_is_shared_between_this_process_and_forked_ones():
    pids = {pid for _, pid in forked.fork_map(_where, list(range(20)), workers=2)}
    assert os.getpid() in pids and len(pids) >= 2


@pytest.mark.skipif(not forked.can_fork(), reason="fork is not available here (threads running, or not POSIX)")
@pytest.mark.parametrize("workers", [2, 3])
def test_each_child_does_one_chunk_and_the_results_stay_in_order(workers):
    done = forked.fork_map(_where, list(range(200)), workers=workers, chunk=7)
    assert [square for square, _ in done] == [i * i for i in range(200)]
    by_child: dict[int, list[int]] = {}
    for item, (_, pid) in enumerate(done):
        if pid != os.getpid():
            by_child.setdefault(pid, []).append(item)
    assert len(by_child) >= 2, "a child for each chunk"
    assert all(len(chunk) <= 7 and chunk == list(range(chunk[0], chunk[0] + len(chunk))) for chunk in by_child.values())


def test_one_worker_runs_everything_here():
    assert {pid for _, pid in forked.fork_map(_where, list(range(5)), workers=1)} == {os.getpid()}
    assert forked.planned(5, workers=1) == 1


def test_a_failure_is_raised_here_even_when_a_child_met_it_first():
    def fail(item: int) -> int:
        if item == 7:  # in the second share: the child fails, this process redoes its share and raises
            raise ValueError("item 7")
        return item

    with pytest.raises(ValueError, match="item 7"):
        forked.fork_map(fail, list(range(10)), workers=2)
