"""The operator's status: changes, reasons, time in status, the wrap-up timer, persistence."""

from __future__ import annotations

import pytest

from console.desk import Desk, DeskError, Presence, Status, StatusModel, format_time_in


def test_starts_available_and_changes_with_listeners_told(clock):
    model = StatusModel(operator="alex", clock=clock)
    seen: list[Presence] = []
    model.subscribe(seen.append)
    assert model.status is Status.AVAILABLE and model.rings
    clock.advance(30)
    model.set(Status.AWAY, "  Lunch ")
    assert model.presence.label == "Away: Lunch"
    assert not model.rings  # away: no popup, no ringtone
    assert [p.status for p in seen] == [Status.AWAY]
    clock.advance(125)
    assert model.seconds_in_status() == 125
    assert format_time_in(model.seconds_in_status()) == "2 min"
    model.set(Status.DND, "ignored")
    assert model.presence.reason == ""  # only Away carries a reason
    assert not model.rings


def test_setting_the_same_status_keeps_its_time(clock):
    model = StatusModel(clock=clock)
    model.set(Status.DND)
    since = model.presence.since
    clock.advance(60)
    model.set(Status.DND)
    assert model.presence.since == since


def test_a_long_reason_is_refused(clock):
    with pytest.raises(DeskError, match="under 40"):
        StatusModel(clock=clock).set(Status.AWAY, "x" * 41)


def test_wrap_up_timer_returns_to_the_status_before(clock):
    model = StatusModel(clock=clock)
    model.begin_wrap_up("v3:a", 30)
    assert model.status is Status.WRAP_UP and model.presence.call_key == "v3:a"
    assert model.rings  # a lone operator still hears a new caller while writing notes
    clock.advance(29)
    assert model.tick() is None
    assert model.wrap_up_seconds_left() == pytest.approx(1)
    clock.advance(1)
    assert model.tick() is not None
    assert model.status is Status.AVAILABLE


def test_finishing_the_wrap_up_ends_it_early_and_only_for_its_call(clock):
    model = StatusModel(clock=clock)
    model.begin_wrap_up("v3:b", 60)
    assert model.end_wrap_up("v3:other") is None  # an older call's card
    assert model.status is Status.WRAP_UP
    model.end_wrap_up("v3:b")
    assert model.status is Status.AVAILABLE and model.wrap_up_deadline is None


def test_no_timer_or_a_chosen_status_is_never_overridden(clock):
    model = StatusModel(clock=clock)
    assert model.begin_wrap_up("v3:a", 0) is None
    model.set(Status.AWAY, "Break")
    assert model.begin_wrap_up("v3:a", 30) is None
    assert model.presence.label == "Away: Break"


def test_presence_round_trips_for_team_mode_and_refuses_junk():
    presence = Presence(Status.AWAY, 1000.0, "Meeting", "alex")
    assert Presence.from_dict(presence.as_dict()) == presence
    with pytest.raises(DeskError):
        Presence.from_dict({"status": "asleep", "since": 1})


def test_status_survives_a_restart_but_wrap_up_does_not(tmp_path, clock):
    path = tmp_path / "console.sqlite3"
    desk = Desk.open(path, clock=clock)
    desk.status.set(Status.AWAY, "Lunch")
    desk.close()
    desk = Desk.open(path, clock=clock)
    assert desk.status.presence.label == "Away: Lunch"
    desk.status.set(Status.AVAILABLE)
    desk.status.begin_wrap_up("v3:a", 60)
    desk.close()
    desk = Desk.open(path, clock=clock)
    assert desk.status.status is Status.AVAILABLE
    desk.close()


def test_a_failing_listener_does_not_stop_the_others(clock):
    model = StatusModel(clock=clock)
    seen = []

    def broken(_p):
        raise RuntimeError("view gone")

    model.subscribe(broken)
    model.subscribe(seen.append)
    model.set(Status.DND)
    assert len(seen) == 1


def test_a_demo_desk_is_seeded_once_with_the_simulators_numbers(desk):
    from console.desk.demo import seed_demo

    assert seed_demo(desk)
    assert desk.name_for("+13125550101") == "Demo: busy (Simulator)"
    assert desk.speed_dials.get(1).number == "+13125550100"
    desk.contacts.delete(desk.contacts.find_by_number("+13125550101").id)
    assert not seed_demo(desk)  # what the operator changed stays changed
    assert desk.name_for("+13125550101") is None
