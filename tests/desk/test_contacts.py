"""The address book: E.164 numbers, numbers kept as typed, duplicates merged or flagged; an
unknown caller costs no query, and every change is seen by the next lookup."""

from __future__ import annotations

from dataclasses import replace

import pytest

from console.desk import DeskError, make_contact, phone, to_e164


def test_numbers_are_normalised_and_a_bad_one_is_kept_and_marked():
    assert to_e164("(312) 555-0100", "US") == "+13125550100"
    assert to_e164("0044 20 7946 0958") == "+442079460958"
    assert to_e164("12") is None
    odd = phone("ext. 12-34", "desk")
    assert odd.raw == "ext. 12-34" and odd.e164 is None and not odd.normalised
    assert odd.dial_string == "ext. 12-34"


def test_a_contact_is_found_by_the_number_a_call_carries(desk):
    saved = desk.contacts.add(
        make_contact("Pat Lee", ["(312) 555-0142"], organisation="Acme", default_country="US")
    )
    assert not saved.merged and saved.contact.id is not None
    found = desk.contacts.find_by_number("+13125550142")
    assert found is not None and found.display_name == "Pat Lee (Acme)"
    assert found.numbers[0].raw == "(312) 555-0142"
    assert desk.name_for("+13125550142") == "Pat Lee (Acme)"
    assert desk.name_for("+13125550143") is None


def test_an_unnormalisable_number_is_still_found_by_its_digits(desk):
    desk.contacts.add(make_contact("Front desk", ["ext 4411"]))
    contact = desk.contacts.find_by_number("4411")
    assert contact is not None and contact.has_unnormalised


def test_the_same_person_twice_is_merged_not_doubled(desk):
    desk.contacts.add(make_contact("Pat Lee", ["+13125550142"], tags="vip", notes="prefers email"))
    saved = desk.contacts.add(
        make_contact(
            "pat lee", ["+1 312 555 0142", "+13125550150"], email="pat@example.com", tags="billing"
        )
    )
    assert saved.merged
    assert desk.contacts.count() == 1
    (pat,) = desk.contacts.all()
    assert [n.e164 for n in pat.numbers] == ["+13125550142", "+13125550150"]
    assert pat.email == "pat@example.com" and pat.tags == ("vip", "billing")
    assert pat.notes == "prefers email"


def test_another_name_on_a_known_number_is_flagged_on_both_cards(desk):
    desk.contacts.add(make_contact("Pat Lee", ["+13125550142"]))
    saved = desk.contacts.add(make_contact("Acme reception", ["+13125550142"]))
    assert not saved.merged and "Pat Lee" in saved.flagged
    assert desk.contacts.count() == 2
    flags = {c.name: c.flag for c in desk.contacts.flagged()}
    assert "Acme reception" in flags["Pat Lee"] and "Pat Lee" in flags["Acme reception"]


def test_bad_input_gets_a_clear_message():
    with pytest.raises(DeskError, match="needs a name"):
        make_contact("", [])
    with pytest.raises(DeskError, match="not an e-mail"):
        make_contact("Pat", email="pat at example")
    assert make_contact("", ["+13125550142"]).name == "+13125550142"  # a bare number is a name


def test_search_update_favourite_delete(desk):
    pat = desk.contacts.add(make_contact("Pat Lee", ["+13125550142"], notes="likes jazz")).contact
    desk.contacts.add(make_contact("Sam Roe", ["+13125550155"], organisation="Globex"))
    assert [c.name for c in desk.contacts.search("jazz")] == ["Pat Lee"]
    assert [c.name for c in desk.contacts.search("glob")] == ["Sam Roe"]
    assert [c.name for c in desk.contacts.search("5550155")] == ["Sam Roe"]
    assert [c.name for c in desk.contacts.search("Sa")] == ["Sam Roe"]  # short: by name
    changed = desk.contacts.update(
        make_contact("Pat Lee-Smith", ["+13125550142"], notes="likes blues").__class__(
            **{**make_contact("Pat Lee-Smith", ["+13125550142"]).__dict__, "id": pat.id}
        )
    )
    assert changed.name == "Pat Lee-Smith"
    assert desk.contacts.search("jazz") == []
    desk.contacts.set_favourite(pat.id, True)
    assert [c.name for c in desk.contacts.favourites()] == ["Pat Lee-Smith"]
    desk.contacts.delete(pat.id)
    assert desk.contacts.find_by_number("+13125550142") is None
    assert desk.contacts.search("Lee-Smith") == []


def test_listeners_hear_of_changes(desk):
    heard = []
    desk.contacts.on_change(lambda: heard.append(1))
    desk.contacts.add(make_contact("Pat", ["+13125550142"]))
    assert heard == [1]


def test_contact_from_a_call(desk):
    from tests.desk.conftest import call

    contact = desk.contact_from_call(call("v3:a", name="Pat Caller"))
    assert contact.name == "Pat Caller" and contact.numbers[0].e164 == "+13125550142"
    outgoing = desk.contact_from_call(call("v3:b", direction="outgoing", number="+13125550100"))
    assert outgoing.numbers[0].e164 == "+13125550100"


def test_a_caller_not_in_the_book_is_answered_without_a_query_and_changes_are_seen(desk):
    desk.contacts.add(make_contact("Pat Lee", ["+13125550142"]))
    assert desk.contacts.find_by_number("+13125550142") is not None  # the keys are loaded
    queries: list[str] = []
    desk.conn.set_trace_callback(queries.append)
    try:
        assert [desk.contacts.find_by_number(f"+1646555{n:04d}") for n in range(200)] == [
            None
        ] * 200
    finally:
        desk.conn.set_trace_callback(None)
    assert queries == []
    # Whatever changes the book, a lookup afterwards sees it.
    sam = desk.contacts.add(make_contact("Sam Roe", ["+13125550155"]), notify=False).contact
    assert desk.name_for("+13125550155") == "Sam Roe"
    assert sam.id is not None
    desk.contacts.update(replace(make_contact("Sam Roe", ["+13125550156"]), id=sam.id))
    assert desk.name_for("+13125550155") is None
    assert desk.name_for("+13125550156") == "Sam Roe"
    desk.contacts.delete(sam.id)
    assert desk.name_for("+13125550156") is None
    desk.contacts.add_many([make_contact("Ann Ode", ["+13125550177"])])
    assert desk.name_for("+13125550177") == "Ann Ode"
