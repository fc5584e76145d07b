"""normalise.credits on its own: each convention DESIGN.md lists, with the role, the kind, the
raw text and the agency each credit must carry. The readers' tests cover the same functions inside
whole articles; these pin down each form so a changed role or a lost raw text fails here."""

from __future__ import annotations

import uuid

import pytest

from feedwright.model import Agent, AgentKind, Credit, Rights, Role
from feedwright.normalise.credits import (
    CreditPattern,
    agent_kind,
    credits_from_name,
    looks_like_name,
    looks_like_person,
    looks_like_role,
    parse_agency_dateline,
    parse_byline,
    parse_copyright,
    parse_credit_line,
    parse_sign_off,
    parse_wire_credits,
    split_byline,
    split_caption_credit,
    split_sign_off_tail,
)

Shape = tuple[str, str, str, str, str, str | None]


def shape(credits: tuple[Credit, ...] | Credit | None) -> list[Shape] | None:
    """(role, name, kind, raw, target, on behalf of) for each credit."""
    if credits is None:
        return None
    if isinstance(credits, Credit):
        credits = (credits,)
    return [(c.role.value, c.agent.name, c.agent.kind.value, c.raw, c.target,
             c.on_behalf_of.name if c.on_behalf_of else None) for c in credits]


def authors(line: str, *people: tuple[str, str]) -> list[Shape]:
    return [(role, name, "person", line, "entry", None) for role, name in people]


@pytest.mark.parametrize(("line", "expected"), [
    ("By Jane Doe and John Roe", authors("By Jane Doe and John Roe",
                                         ("author", "Jane Doe"), ("author", "John Roe"))),
    ("By Jane Doe, John Roe and Sam Lee", authors(
        "By Jane Doe, John Roe and Sam Lee", ("author", "Jane Doe"), ("author", "John Roe"),
        ("author", "Sam Lee"))),
    ("By Jane Doe, political reporter", authors("By Jane Doe, political reporter",
                                                ("reporter", "Jane Doe"))),
    ("By Jane Doe, Europe correspondent", authors("By Jane Doe, Europe correspondent",
                                                  ("reporter", "Jane Doe"))),
    ("By Jane Doe, Senior Writer", authors("By Jane Doe, Senior Writer", ("author", "Jane Doe"))),
    ("By Jane Doe in Brussels", authors("By Jane Doe in Brussels", ("author", "Jane Doe"))),
    ("By A. Smith.", authors("By A. Smith.", ("author", "A. Smith"))),
    ("By Mary-Jane O’Neil", authors("By Mary-Jane O’Neil", ("author", "Mary-Jane O’Neil"))),
    ("  By Tess Ikonomou, AAP  ", [
        ("author", "Tess Ikonomou", "person", "By Tess Ikonomou, AAP", "entry", None),
        ("source", "AAP", "organization", "By Tess Ikonomou, AAP", "entry", None)]),
    ("By Jane Doe, REUTERS", [
        ("author", "Jane Doe", "person", "By Jane Doe, REUTERS", "entry", None),
        ("source", "REUTERS", "organization", "By Jane Doe, REUTERS", "entry", None)]),
    ("By Jane Doe, Political Reporter", authors("By Jane Doe, Political Reporter",
                                                ("reporter", "Jane Doe"))),
    ("By Jane Doe, political reporter, and John Roe", authors(
        "By Jane Doe, political reporter, and John Roe", ("reporter", "Jane Doe"),
        ("author", "John Roe"))),  # the names go on after a role
    ("By Our Foreign Staff and Jane Doe", authors("By Our Foreign Staff and Jane Doe",
                                                  ("author", "Jane Doe"))),  # a desk, then her
    ("By Jane Doe, , John Roe", authors("By Jane Doe, , John Roe", ("author", "Jane Doe"),
                                        ("author", "John Roe"))),  # an empty name field
    ("By Jane Doe and Madonna", authors("By Jane Doe and Madonna", ("author", "Jane Doe"),
                                        ("author", "Madonna"))),  # one name, not a wire
    ("By Jane Doe, AAP, and John Roe, Reuters", [
        ("author", "Jane Doe", "person", "By Jane Doe, AAP, and John Roe, Reuters", "entry", None),
        ("source", "AAP", "organization", "By Jane Doe, AAP, and John Roe, Reuters", "entry",
         None),
        ("author", "John Roe", "person", "By Jane Doe, AAP, and John Roe, Reuters", "entry", None),
        ("source", "Reuters", "organization", "By Jane Doe, AAP, and John Roe, Reuters", "entry",
         None)]),  # each reporter with the wire she files for
    ("By Maria de la Cruz Lopez", authors("By Maria de la Cruz Lopez",
                                          ("author", "Maria de la Cruz Lopez"))),  # five words
    ("By The Time The Sun Rose Again", None),  # six capitalised words: a headline, no name
    ("By Jane Doe and Bloomberg News", [
        ("author", "Jane Doe", "person", "By Jane Doe and Bloomberg News", "entry", None),
        ("author", "Bloomberg News", "organization", "By Jane Doe and Bloomberg News", "entry",
         None)]),
    ("By STEVEN DAVIDOFF SOLOMON", authors("By STEVEN DAVIDOFF SOLOMON",
                                           ("author", "Steven Davidoff Solomon"))),  # a person
    ("By AAP", [("author", "AAP", "organization", "By AAP", "entry", None)]),  # one: a wire
    ("By Malcolm X", authors("By Malcolm X", ("author", "Malcolm X"))),
    # a generational suffix after a comma is the name's, kept as printed, its full stop too
    ("By Sammy Davis Jr. and Harry Connick, Jr.", authors(
        "By Sammy Davis Jr. and Harry Connick, Jr.", ("author", "Sammy Davis Jr."),
        ("author", "Harry Connick, Jr."))),
    ("By SAMMY DAVIS, JR.", authors("By SAMMY DAVIS, JR.", ("author", "Sammy Davis, Jr."))),
    ("By John Smith, III, Jane Doe, Sr & Ann Lee, II", authors(
        "By John Smith, III, Jane Doe, Sr & Ann Lee, II", ("author", "John Smith, III"),
        ("author", "Jane Doe, Sr"), ("author", "Ann Lee, II"))),
    ("By Jane Doe, Jr, political reporter", authors("By Jane Doe, Jr, political reporter",
                                                    ("reporter", "Jane Doe, Jr"))),
    ("By Ivan Petrov, Ivy Lee and Jr Smith", authors(  # names that start like a suffix
        "By Ivan Petrov, Ivy Lee and Jr Smith", ("author", "Ivan Petrov"),
        ("author", "Ivy Lee"), ("author", "Jr Smith"))),
    ("By Admin", None), ("By Anonymous", None), ("By Jane Doe and Anonymous", None),
    ("By the way, this is prose and not a byline at all", None),
    ("Byline Jane Doe", None),
    ("By 2025 the plan will be done", None),
])
def test_bylines(line: str, expected: list[Shape] | None) -> None:
    assert shape(parse_byline(line)) == expected


@pytest.mark.parametrize(("line", "names", "rest"), [
    ("By Jane Doe", ["Jane Doe"], ""),
    ("by Laura Topolsky July 10, 2015", ["Laura Topolsky"], "July 10, 2015"),
    ("By Lucas Nolan22 Dec 2016", ["Lucas Nolan"], "22 Dec 2016"),  # the page lost a space
    ("// By A Smith • Nov 11, 2020", ["A Smith"], "• Nov 11, 2020"),
    ("* By Jane Doe |", ["Jane Doe"], "|"),
    ("By Jane Doe March 18 at 3:57 PM Follow @jdoe", ["Jane Doe"],
     "March 18 at 3:57 PM Follow @jdoe"),
])
def test_a_byline_and_what_follows_it(line: str, names: list[str], rest: str) -> None:
    byline = split_byline(line)
    assert byline is not None
    assert [c.agent.name for c in byline.credits] == names
    assert {c.raw for c in byline.credits} == {line}
    assert byline.rest == rest


def test_only_bullets_and_rules_go_before_a_byline() -> None:
    assert split_byline("X By Jane Doe") is None  # a letter before "By": prose


def test_wire_credits() -> None:
    line = "Reporting by Lucy Craymer in Wellington; Editing by Stephen Coates"
    assert shape(parse_wire_credits(line)) == [
        ("reporter", "Lucy Craymer", "person", line, "entry", None),
        ("editor", "Stephen Coates", "person", line, "entry", None)]
    line = "(Additional reporting by Kate Green and Hemi Walker; Writing by Sam Lee.)"
    assert shape(parse_wire_credits(line)) == [
        ("contributor", "Kate Green", "person", line, "entry", None),
        ("contributor", "Hemi Walker", "person", line, "entry", None),
        ("author", "Sam Lee", "person", line, "entry", None)]
    assert shape(parse_wire_credits("Graphics by Ann Lee; Photography by Bo Kim")) == [
        ("illustrator", "Ann Lee", "person", "Graphics by Ann Lee; Photography by Bo Kim",
         "entry", None),
        ("photographer", "Bo Kim", "person", "Graphics by Ann Lee; Photography by Bo Kim",
         "entry", None)]
    for line in ("Reporting by Malcolm X", "Reporting by Malcolm X."):
        assert shape(parse_wire_credits(line)) == [
            ("reporter", "Malcolm X", "person", line, "entry", None)]
    line = "Reporting by Harry Connick, Jr. and Jane Doe; Editing by Sammy Davis, Jr."
    assert shape(parse_wire_credits(line)) == [
        ("reporter", "Harry Connick, Jr.", "person", line, "entry", None),
        ("reporter", "Jane Doe", "person", line, "entry", None),
        ("editor", "Sammy Davis, Jr.", "person", line, "entry", None)]
    assert parse_wire_credits("Reporting by") is None
    assert parse_wire_credits("Reported by Lucy Craymer") is None
    assert parse_wire_credits("Reporting by Lucy Craymer; and then the story goes on") is None


@pytest.mark.parametrize(("paragraph", "place", "agency", "raw", "rest"), [
    ("WELLINGTON, March 12 (Reuters) - The text", "WELLINGTON", "Reuters",
     "WELLINGTON, March 12 (Reuters) -", "The text"),
    ("LONDON (AP) — Text", "LONDON", "AP", "LONDON (AP) —", "Text"),
    ("SYDNEY, April 3 (AAP): Text", "SYDNEY", "AAP", "SYDNEY, April 3 (AAP):", "Text"),
    ("NEW YORK, N.Y. (AP) - x", "NEW YORK, N.Y.", "AP", "NEW YORK, N.Y. (AP) -", "x"),
])
def test_agency_datelines(paragraph: str, place: str, agency: str, raw: str, rest: str) -> None:
    found = parse_agency_dateline(paragraph)
    assert found is not None
    assert (found.place, found.rest) == (place, rest)
    assert shape(found.credit) == [("source", agency, "organization", raw, "entry", None)]


def test_a_dateline_in_ordinary_case_is_prose() -> None:
    assert parse_agency_dateline("Wellington (Reuters) - the text") is None
    assert parse_agency_dateline("The council (the board) - met") is None


@pytest.mark.parametrize(("line", "agency"), [
    ("- Reuters", "Reuters"), ("– AAP.", "AAP"), ("— The Conversation", "The Conversation"),
    ("- New Zealand Press Association", "New Zealand Press Association"),  # four words
    ("  - Reuters  ", "Reuters"),
])
def test_sign_off_lines(line: str, agency: str) -> None:
    assert shape(parse_sign_off(line)) == [
        ("source", agency, "organization", line.strip(), "entry", None)]


@pytest.mark.parametrize("line", ["- a long sign off with far too many words", "-reuters",
                                  "- Otago Daily Times News Desk",  # five words: a sentence
                                  "Reuters", "- 1 item"])
def test_not_sign_off_lines(line: str) -> None:
    assert parse_sign_off(line) is None


def test_sign_off_tails() -> None:
    rest, credit = split_sign_off_tail("The council met on Tuesday. - AAP") or ("", None)
    assert rest == "The council met on Tuesday."
    assert shape(credit) == [("source", "AAP", "organization", "- AAP", "entry", None)]
    rest, credit = split_sign_off_tail("It rained.  – Reuters.") or ("", None)
    assert (rest, shape(credit)) == (
        "It rained.", [("source", "Reuters", "organization", "– Reuters.", "entry", None)])
    assert split_sign_off_tail("It rained - Foo") is None  # only known wires sign off a paragraph


@pytest.mark.parametrize(("line", "holder"), [
    ("© 2025 Example News Ltd. All rights reserved.", "Example News Ltd"),
    ("(c) 2019-2025 Foo Media", "Foo Media"),
    ("Copyright © Bar Media", "Bar Media"),
    ("copyright 2025, Baz Ltd.", "Baz Ltd"),
    ("© 2025 Foo Media, All rights reserved.", "Foo Media"),
    ("© 2025 Xinhua", "Xinhua"),
    ("©", None),
])
def test_copyright_lines(line: str, holder: str | None) -> None:
    found = parse_copyright(line)
    assert found is not None
    notice, agent = found
    assert notice == line.strip()
    assert agent == (Agent(holder, AgentKind.ORGANIZATION) if holder else None)


def test_prose_is_no_copyright_line() -> None:
    assert parse_copyright("The copyright law changed in 2025.") is None


def test_credit_lines() -> None:
    wire = parse_credit_line("Reporting by Kate Green; Editing by Sam Lee")
    assert wire is not None and [c.role.value for c in wire.credits] == ["reporter", "editor"]
    assert wire.rights is None
    signed = parse_credit_line("- Reuters")
    assert signed is not None and shape(signed.credits) == [
        ("source", "Reuters", "organization", "- Reuters", "entry", None)]
    assert parse_credit_line("- Reuters", allow_sign_off=False) is None  # a list item, first up
    notice = parse_credit_line("© 2025 Foo Ltd")
    assert notice == type(notice)((), Rights("© 2025 Foo Ltd", Agent("Foo Ltd",
                                                                      AgentKind.ORGANIZATION)))
    assert parse_credit_line("Just prose.") is None


LONG = "The harbour at dawn, " + "with boats and gulls and a long grey wharf, " * 6 + "at last."


@pytest.mark.parametrize(("text", "caption", "credits"), [
    ("Waves at the wharf (Photo: Tom Ellery/Getty Images)", "Waves at the wharf", [
        ("photographer", "Tom Ellery", "person", "(Photo: Tom Ellery/Getty Images)", "m1",
         "Getty Images")]),
    ("Waves. Photo: REUTERS/Jane Doe/File Photo", "Waves.", [
        ("photographer", "Jane Doe", "person", "Photo: REUTERS/Jane Doe/File Photo", "m1",
         "REUTERS")]),
    ("Waves (Supplied)", "Waves", [("provider", "Supplied", "unknown", "(Supplied)", "m1", None)]),
    ("Waves (Supplied: Jane Doe)", "Waves", [
        ("provider", "Jane Doe", "person", "(Supplied: Jane Doe)", "m1", None)]),
    ("Waves. Picture: AAP Image/Lukas Coch/via REUTERS", "Waves.", [
        ("photographer", "Lukas Coch", "person", "Picture: AAP Image/Lukas Coch/via REUTERS",
         "m1", "AAP Image"),
        ("distributor", "REUTERS", "organization", "Picture: AAP Image/Lukas Coch/via REUTERS",
         "m1", None)]),
    ("Waves (Source: 1News)", "Waves", [
        ("source", "1News", "organization", "(Source: 1News)", "m1", None)]),
    ("Waves. Photo: Getty Images", "Waves.", [  # an agency credited as photographer distributes
        ("distributor", "Getty Images", "organization", "Photo: Getty Images", "m1", None)]),
    ("Waves | Photo: Jo Bloggs", "Waves", [
        ("photographer", "Jo Bloggs", "person", "Photo: Jo Bloggs", "m1", None)]),
    ("Waves. Video: Aroha Smith", "Waves.", [
        ("videographer", "Aroha Smith", "person", "Video: Aroha Smith", "m1", None)]),
    ("Waves (Illustration: Sam Lee)", "Waves", [
        ("illustrator", "Sam Lee", "person", "(Illustration: Sam Lee)", "m1", None)]),
    ("The city at night.Credit...Kirsten Luce for The New York Times", "The city at night.", [
        ("photographer", "Kirsten Luce", "person",
         "Credit...Kirsten Luce for The New York Times", "m1", "The New York Times")]),
    ("Credit: Harry Campbell.", "", [
        ("photographer", "Harry Campbell", "person", "Credit: Harry Campbell.", "m1", None)]),
    ("Waves. Photo: Malcolm X", "Waves.", [  # a name ending in a capital X
        ("photographer", "Malcolm X", "person", "Photo: Malcolm X", "m1", None)]),
    ("Waves – (Photo: Jo Bloggs)", "Waves", [  # the dash before the credit goes too
        ("photographer", "Jo Bloggs", "person", "(Photo: Jo Bloggs)", "m1", None)]),
    ("Malcolm X (Photo: Jo Bloggs)", "Malcolm X", [
        ("photographer", "Jo Bloggs", "person", "(Photo: Jo Bloggs)", "m1", None)]),
    ("Waves (Newshub Nation: Jane Doe)", "Waves", [  # an outlet of two words, no agency hint
        ("photographer", "Jane Doe", "person", "(Newshub Nation: Jane Doe)", "m1",
         "Newshub Nation")]),
    ("Credit Harry Campbell", "", [  # on a line of its own
        ("photographer", "Harry Campbell", "person", "Credit Harry Campbell", "m1", None)]),
    ("Waves (ABC News: Dan Smith)", "Waves", [
        ("photographer", "Dan Smith", "person", "(ABC News: Dan Smith)", "m1", "ABC News")]),
    ("Waves (Reuters: Dan Smith)", "Waves", [  # a one-word outlet that is an organisation
        ("photographer", "Dan Smith", "person", "(Reuters: Dan Smith)", "m1", "Reuters")]),
    ("Waves (ABC News: J.R. Smith)", "Waves", [  # initials are a person's, not a wire's
        ("photographer", "J.R. Smith", "person", "(ABC News: J.R. Smith)", "m1", "ABC News")]),
    # A short caption before a person/agency credit stays the caption: only an initial's full
    # stop is part of a name.
    ("Jacinda Ardern. Jane Doe/Getty Images", "Jacinda Ardern.", [
        ("photographer", "Jane Doe", "person", "Jane Doe/Getty Images", "m1", "Getty Images")]),
    ("Waves. Fethi Belaid/AFP/Getty Images", "Waves.", [
        ("photographer", "Fethi Belaid", "person", "Fethi Belaid/AFP/Getty Images", "m1", "AFP"),
        ("distributor", "Getty Images", "organization", "Fethi Belaid/AFP/Getty Images", "m1",
         None)]),
    ("Protest. A. Smith/AFP", "Protest.", [
        ("photographer", "A. Smith", "person", "A. Smith/AFP", "m1", "AFP")]),
    ("Waves on Tuesday. (Getty Images)", "Waves on Tuesday.", [
        ("distributor", "Getty Images", "organization", "(Getty Images)", "m1", None)]),
    ("Waves (AP Photo/Jane Doe)", "Waves", [
        ("photographer", "Jane Doe", "person", "(AP Photo/Jane Doe)", "m1", "AP Photo")]),
    ("Waves — Image: Supplied", "Waves", [
        ("provider", "Supplied", "unknown", "Image: Supplied", "m1", None)]),
    ("Waves (Photo credit: Jo Bloggs)", "Waves", [
        ("photographer", "Jo Bloggs", "person", "(Photo credit: Jo Bloggs)", "m1", None)]),
    (LONG + " Photo: Jo Bloggs", LONG, [  # beyond the first 200 characters
        ("photographer", "Jo Bloggs", "person", "Photo: Jo Bloggs", "m1", None)]),
    ("Just a caption.", None, None),
    (LONG, None, None),
    ("Waves (Update: New Details)", None, None),  # a one-word label naming no organisation
    ("Waves (Photo:  )", None, None), ("Waves. Photo: .", None, None),  # a label, no name
    ("Credit card fraud is rising.", None, None),
])
def test_caption_credits(text: str, caption: str | None, credits: list[Shape] | None) -> None:
    found = split_caption_credit(text, "m1")
    if caption is None:
        assert found is None
        return
    assert found is not None
    assert (found.caption, shape(found.credits)) == (caption, credits)


def test_a_feeds_own_pattern_with_its_own_role() -> None:
    pattern = CreditPattern(r"\s*shot by (?P<name>[\w ]+)$", role="videographer")
    found = split_caption_credit("Waves shot by Jo Bloggs", "m2", (pattern,))
    assert found is not None and found.caption == "Waves"
    assert shape(found.credits) == [
        ("videographer", "Jo Bloggs", "person", "shot by Jo Bloggs", "m2", None)]
    for _ in range(2):  # refused every time, not only before a cache remembers it
        with pytest.raises(ValueError, match=r"no \(\?P<name>\.\.\.\) group"):
            CreditPattern(r"(?P<who>x)").compiled()


def test_a_feeds_own_pattern_may_match_the_whole_caption() -> None:
    pattern = CreditPattern(r"^Photo by (?P<name>.+)$")
    found = split_caption_credit("Photo by Jo Bloggs", "m2", (pattern,))
    assert found is not None and found.caption == ""
    assert shape(found.credits) == [
        ("contributor", "Jo Bloggs", "person", "Photo by Jo Bloggs", "m2", None)]


def test_a_pattern_never_seen_before_is_compiled_and_accepted() -> None:
    """The first compile of a pattern checks its name group (later ones come from the cache):
    a pattern unique to this run, by a regex comment, so no earlier run has cached it."""
    pattern = CreditPattern(rf"\s*snapped by (?P<name>[\w ]+)(?#{uuid.uuid4().hex})$")
    found = split_caption_credit("Waves snapped by Jo Bloggs", "m2", (pattern,))
    assert found is not None and [c.agent.name for c in found.credits] == ["Jo Bloggs"]


def test_a_feeds_own_pattern_with_a_label_it_does_not_know() -> None:
    """A label group whose word has no role of its own credits a contributor."""
    pattern = CreditPattern(r"\s*(?P<label>Shot by) (?P<name>[\w ]+)$")
    found = split_caption_credit("Waves Shot by Jo Bloggs", "m2", (pattern,))
    assert found is not None
    assert shape(found.credits) == [
        ("contributor", "Jo Bloggs", "person", "Shot by Jo Bloggs", "m2", None)]


def test_names_and_kinds() -> None:
    assert looks_like_name("Jane Doe") and looks_like_name("Ludwig van Beethoven")
    assert not looks_like_name("jane doe")
    assert not looks_like_name("Anna Bea Cy Di Ed") and looks_like_name("Anna Bea Cy Di Ed", 5)
    assert agent_kind("Getty Images") is AgentKind.ORGANIZATION
    assert agent_kind("AFP") is AgentKind.ORGANIZATION  # wire names in capitals
    assert agent_kind("Jane Doe") is AgentKind.PERSON
    assert agent_kind("Jane Doe", AgentKind.UNKNOWN) is AgentKind.UNKNOWN


@pytest.mark.parametrize(("text", "person"), [
    ("Jane Doe", True), ("Ludwig van Beethoven", True),
    ("jane doe", False),  # no capitals: prose
    ("More Options", False), ("Jane Home.", False),  # a menu word, with its full stop too
    ("Games Editor", False),  # a job
    ("Anna Bea Cy Di Ed", False),  # five words: too long for a name line by default
])
def test_a_person_alone_on_a_line(text: str, person: bool) -> None:
    assert looks_like_person(text) is person


def test_a_person_line_can_allow_longer_names() -> None:
    assert looks_like_person("Anna Bea Cy Di Ed", max_words=5)


@pytest.mark.parametrize(("text", "role"), [
    ("Games Editor", True), ("eHow Contributor", True),
    ("The Seattle Times business desk reporter", True),  # six words
    ("The Seattle Times daily business desk reporter", False),  # seven: a sentence
    ("Games Editor.", False), ("Games Editor!", False), ("Games Editor?", False),  # sentences
    ("Jane Doe", False),
])
def test_a_job_line(text: str, role: bool) -> None:
    assert looks_like_role(text) is role


def behalf(credits: tuple[Credit, ...]) -> list[tuple[str, str, str, str, str, str | None]]:
    """(role, name, kind, raw, target, on behalf of: "name (kind)") for each credit."""
    return [(c.role.value, c.agent.name, c.agent.kind.value, c.raw, c.target,
             f"{c.on_behalf_of.name} ({c.on_behalf_of.kind.value})" if c.on_behalf_of else None)
            for c in credits]


PERSON, ORG, UNKNOWN = "person", "organization", "unknown"


@pytest.mark.parametrize(("name", "role", "expected"), [
    ("Supplied", Role.PHOTOGRAPHER, [("provider", "Supplied", UNKNOWN, None)]),
    ("SUPPLIED", Role.SOURCE, [("provider", "Supplied", UNKNOWN, None)]),
    ("REUTERS/Jane Doe/File Photo", Role.PHOTOGRAPHER,
     [("photographer", "Jane Doe", PERSON, "REUTERS (organization)")]),
    ("REUTERS/Jane Doe / file", Role.PHOTOGRAPHER,
     [("photographer", "Jane Doe", PERSON, "REUTERS (organization)")]),
    ("AAP Image/Lukas Coch/via REUTERS", Role.PHOTOGRAPHER,
     [("photographer", "Lukas Coch", PERSON, "AAP Image (organization)"),
      ("distributor", "REUTERS", ORG, None)]),
    ("AAP Image/Lukas Coch / Via Reuters Pool", Role.VIDEOGRAPHER,
     [("videographer", "Lukas Coch", PERSON, "AAP Image (organization)"),
      ("distributor", "Reuters Pool", ORG, None)]),
    ("Jane Doe/Agence France-Presse — Getty Images", Role.PHOTOGRAPHER,
     [("photographer", "Jane Doe", PERSON, "Agence France-Presse (organization)"),
      ("distributor", "Getty Images", ORG, None)]),
    ("Jane Doe / Agence France-Presse – Getty Images", Role.VIDEOGRAPHER,
     [("videographer", "Jane Doe", PERSON, "Agence France-Presse (organization)"),
      ("distributor", "Getty Images", ORG, None)]),
    ("REUTERS/Kevin Lamarque/Pool", Role.PHOTOGRAPHER,  # a pool picture: how, not who
     [("photographer", "Kevin Lamarque", PERSON, "REUTERS (organization)")]),
    ("Kevin Lamarque/Reuters/Pool", Role.PHOTOGRAPHER,
     [("photographer", "Kevin Lamarque", PERSON, "Reuters (organization)")]),
    ("AP/Jane Doe", Role.PHOTOGRAPHER,  # a two-letter wire first
     [("photographer", "Jane Doe", PERSON, "AP (organization)")]),
    ("J Smith/Reuters", Role.PHOTOGRAPHER,  # one capital is an initial, not a wire
     [("photographer", "J Smith", PERSON, "Reuters (organization)")]),
    ("REUTERS/Jane Doe/John Roe", Role.PHOTOGRAPHER,  # no form we know: nothing is lost
     [("photographer", "Jane Doe / John Roe", PERSON, "REUTERS (organization)")]),
    ("Supplied/Marine Institute", Role.PHOTOGRAPHER,
     [("provider", "Supplied", UNKNOWN, None), ("source", "Marine Institute", ORG, None)]),
    ("supplied / Marine Institute / NIWA", Role.SOURCE,
     [("provider", "Supplied", UNKNOWN, None), ("source", "Marine Institute / NIWA", ORG, None)]),
    ("Fethi Belaid/AFP/Getty Images", Role.PHOTOGRAPHER,
     [("photographer", "Fethi Belaid", PERSON, "AFP (organization)"),
      ("distributor", "Getty Images", ORG, None)]),
    ("Jane Doe/Getty Images", Role.SOURCE,  # "Source: A/B": the person took it for B
     [("photographer", "Jane Doe", PERSON, "Getty Images (organization)")]),
    ("Jane Doe/Getty Images", Role.PROVIDER,
     [("photographer", "Jane Doe", PERSON, "Getty Images (organization)")]),
    ("Jane Doe/Getty Images", Role.VIDEOGRAPHER,
     [("videographer", "Jane Doe", PERSON, "Getty Images (organization)")]),
    ("Adrian Malloch for the Guardian", Role.SOURCE,
     [("photographer", "Adrian Malloch", PERSON, "the Guardian (organization)")]),
    ("Adrian Malloch for The Guardian", Role.VIDEOGRAPHER,
     [("videographer", "Adrian Malloch", PERSON, "The Guardian (organization)")]),
    ("Friends for the Earth", Role.PHOTOGRAPHER,  # one word before "for": no person's name
     [("photographer", "Friends for the Earth", PERSON, None)]),
    ("1News", Role.SOURCE, [("source", "1News", ORG, None)]),
    ("Jane Doe", Role.SOURCE, [("source", "Jane Doe", ORG, None)]),  # a source is who holds it
    ("Jane Doe", Role.PHOTOGRAPHER, [("photographer", "Jane Doe", PERSON, None)]),
    ("Getty Images", Role.PHOTOGRAPHER, [("distributor", "Getty Images", ORG, None)]),
    ("Getty Images", Role.ILLUSTRATOR, [("illustrator", "Getty Images", ORG, None)]),
])
def test_credited_names(name: str, role: Role,
                        expected: list[tuple[str, str, str, str | None]]) -> None:
    """Every form credits_from_name reads, each credit with the raw text and target given."""
    assert behalf(credits_from_name(name, role, "m1", "RAW")) == [
        (r, n, kind, "RAW", "m1", on) for r, n, kind, on in expected]


def test_a_caption_holding_every_mark_a_default_credit_needs_is_searched() -> None:
    """The quick refusal of a caption without any default credit's mark must not refuse one that
    holds them all: brackets, a colon, a slash and the word Credit (the credits run at 93d272e:
    `needed in tail` → `not in` refused exactly those)."""
    text = ("Protesters (left) face police at the gate: a long standoff. "
            "Credit: Jane Doe/Getty Images")
    found = split_caption_credit(text, "m1")
    assert found is not None
    assert found.caption == "Protesters (left) face police at the gate: a long standoff."
    assert [(c.agent.name, c.role, c.on_behalf_of and c.on_behalf_of.name) for c in found.credits] \
        == [("Jane Doe", Role.PHOTOGRAPHER, "Getty Images")]
