"""A first demo run's address book: the simulator's scripted numbers as contacts and speed
dials, so a newcomer can try the directory (F3), Alt+1… and caller context at once.

Seeded once per demo database (a later run keeps whatever the operator changed).
"""

from __future__ import annotations

from console.desk.contact_card import make_contact
from console.desk.desk import Desk


def demo_contacts() -> list[tuple[str, str, str]]:
    """(number, name, what it does) for each scripted outcome of the simulator."""
    from console.simulator import phones  # only a demo needs the simulator's numbers

    return [
        (phones.ANSWERS, "Demo: answers", "Answers after a short ring and stays up."),
        (phones.BUSY, "Demo: busy", "Always busy (user_busy)."),
        (phones.NO_ANSWER, "Demo: no answer", "Rings until the timeout."),
        (phones.REJECTS, "Demo: rejects", "Rejects the call (call_rejected)."),
        (phones.ANSWERS_THEN_HANGS_UP, "Demo: short call", "Answers, hangs up after a while."),
    ]


def seed_demo(desk: Desk) -> bool:
    """Add the demo contacts and speed dials to an empty demo desk; True if it did."""
    if desk.setting("demo_seeded") or desk.contacts.count():
        return False
    contacts = demo_contacts()
    desk.contacts.add_many(
        make_contact(name, [number], organisation="Simulator", notes=notes, tags="demo")
        for number, name, notes in contacts
    )
    for slot, (number, name, _notes) in enumerate(contacts, start=1):
        desk.speed_dials.set(slot, number, name.removeprefix("Demo: "))
    desk.set_setting("demo_seeded", "1")
    return True
