"""The window's full collections wait for a lull in the events, but never for ever."""

from __future__ import annotations

import gc

from console.gc_pacing import NO_AUTOMATIC_FULL_PASSES, GcPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[GcPacer, Clock, list[float]]:
    clock = Clock()
    runs: list[float] = []
    pacer = GcPacer(
        quiet_secs=2,
        min_gap_secs=60,
        max_gap_secs=300,
        clock=clock,
        collect=lambda: runs.append(clock.now),
    )
    return pacer, clock, runs


def test_no_full_pass_while_events_keep_coming_until_the_longest_gap() -> None:
    pacer, clock, runs = make()
    for second in range(1, 300):
        clock.now += 1
        assert not pacer.tick(work_done=second), f"collected during the burst at {second} s"
    clock.now += 1
    assert pacer.tick(work_done=300)
    assert runs == [1300.0]


def test_a_lull_after_the_minimum_gap_collects_once() -> None:
    pacer, clock, runs = make()
    for second in range(1, 61):  # busy for a minute
        clock.now += 1
        pacer.tick(work_done=second)
    for _ in range(10):  # then quiet: one collection two seconds in, not one per tick
        clock.now += 1
        pacer.tick(work_done=60)
    assert runs == [1062.0]


def test_a_lull_right_after_a_collection_waits_for_the_minimum_gap() -> None:
    pacer, clock, runs = make()
    for _ in range(59):
        clock.now += 1
        pacer.tick(work_done=0)
    assert runs == []
    clock.now += 1
    pacer.tick(work_done=0)
    assert runs == [1060.0]


def test_take_over_stops_automatic_full_passes_and_give_back_restores_them() -> None:
    before = gc.get_threshold()
    pacer = GcPacer()
    pacer.take_over()
    try:
        young, middle, oldest = gc.get_threshold()
        assert (young, middle) == before[:2]
        assert oldest == NO_AUTOMATIC_FULL_PASSES
    finally:
        pacer.give_back()
    assert gc.get_threshold() == before
