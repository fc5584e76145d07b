"""Credits as newsrooms print them: captions, bylines, wire sign-offs and agency datelines.

House styles differ, so the caption conventions are data (CreditPattern), not code per site: a
feed can add its own patterns in its TOML and they are tried before the defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from feedwright.model import Agent, AgentKind, Credit, Rights, Role

# --- letters of every script --------------------------------------------------------------------

# A name starts with a capital in whatever script it is printed (Émile, Łukasz, Ørjan, Şebnem, Лев,
# Νίκος), where [A-Z] refused every one of those. The standard library's `re` cannot say "a
# capital letter", so every pattern here that looks for a name, an outlet or a place is built
# from these Unicode categories and compiled with `regex`; patterns that look only for fixed
# words and punctuation stay with `re`.
CAPITAL = r"[\p{Lu}\p{Lt}]"  # upper case, and title case (the Serbian Latin digraphs: ǅ)
CAPITALS = r"\p{Lu}"  # a letter of a word printed wholly in capitals (REUTERS, ТАСС)
LOWER = r"\p{Ll}"

# --- caption credits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditPattern:
    """A regex that finds a credit at the end of a caption.

    Named groups: ``name`` (required: who is credited), ``label`` (optional: maps to a role
    through LABEL_ROLES when ``role`` is empty). The match must run to the end of the text; what
    comes before it is the caption.
    """

    pattern: str
    role: str = ""  # a Role value; empty: take it from the label
    # Only the last `window` characters can hold the credit: searching just there keeps long
    # paragraphs cheap. Set for the defaults, whose credits are short; a feed's own patterns
    # search the whole caption.
    window: int | None = None
    # Strings that every match holds (`(` and `)` for a bracketed credit): a text whose window
    # lacks one is not searched. Set for the defaults (tests/test_credits.py checks each against
    # the search itself); a feed's own patterns are always searched.
    needs: tuple[str, ...] = ()

    def compiled(self) -> regex.Pattern[str]:
        return _compile(self.pattern)


_CACHE: dict[str, regex.Pattern[str]] = {}


def _compile(pattern: str) -> regex.Pattern[str]:
    # `regex`, for the defaults' CAPITAL; it reads a feed's own patterns (Python `re` syntax) alike
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = regex.compile(pattern)
        if "name" not in compiled.groupindex:  # checked before caching: refused every time
            raise ValueError(f"credit pattern has no (?P<name>...) group: {pattern!r}")
        _CACHE[pattern] = compiled
    return compiled


LABEL_ROLES: dict[str, Role] = {
    "source": Role.SOURCE,
    "photo": Role.PHOTOGRAPHER,
    "photograph": Role.PHOTOGRAPHER,
    "photo credit": Role.PHOTOGRAPHER,
    "picture": Role.PHOTOGRAPHER,
    "pictures": Role.PHOTOGRAPHER,
    "pic": Role.PHOTOGRAPHER,
    "image": Role.PHOTOGRAPHER,
    "credit": Role.PHOTOGRAPHER,
    "photographer": Role.PHOTOGRAPHER,
    "video": Role.VIDEOGRAPHER,
    "footage": Role.VIDEOGRAPHER,
    "illustration": Role.ILLUSTRATOR,
    "graphic": Role.ILLUSTRATOR,
    "artwork": Role.ILLUSTRATOR,
    "supplied": Role.PROVIDER,
}

_LABELS = (
    r"Source|Photo credit|Photograph|Photographer|Photo|Pictures|Picture|Pic|Image|Credit|Video"
    r"|Footage|Illustration|Graphic|Artwork|Supplied"
)
_NAME = r"[^()\n]{1,80}?"

#: The house styles feedwright understands out of the box, most specific first.
#: Every default pattern ends in a credit within the text's last _WINDOW characters.
_WINDOW = 200

# Capitalised words with the connectors names and outlets use ("Kirsten Luce for The Times"):
# enough to tell a credit from a sentence that happens to start with "Credit".
_PROPER = (
    rf"{CAPITAL}[\w.'’&-]*(?:\s+(?:for|the|of|and|via|de|van|von|{CAPITAL}[\w.'’&-]*)){{0,10}}"
)
# A word of a person's name: "Jane", "O’Neil", "Mary-Jane", or initials "A.", "J.R.". Only an
# initial ends in a full stop, so "Jacinda Ardern. Jane Doe/AFP" is a caption, then the credit.
_NAME_WORD = rf"{CAPITAL}(?:[\w'’-]+|\.(?:{CAPITAL}\.)*)"
_PERSON = rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}\.?"  # two to four capitalised words ("Jr.")
_ORG = rf"{CAPITAL}[\w.'’&-]*(?: {CAPITAL}[\w.'’&-]*){{0,4}}"

DEFAULT_CREDIT_PATTERNS: tuple[CreditPattern, ...] = (
    # "(Source: 1News)", "(Photo: Jane Doe/AFP)", "(Supplied: Jane Doe)"
    CreditPattern(
        rf"\s*\((?P<label>{_LABELS})\s*:\s*(?P<name>{_NAME})\)\s*$",
        window=_WINDOW,
        needs=("(", ":", ")"),
    ),
    # "(ABC News: Dan Smith)": any outlet, then the person who took the picture for it
    CreditPattern(
        rf"\s*\((?P<agency>{_ORG})\s*:\s*(?P<name>{_PERSON})\)\s*$",
        role="photographer",
        window=_WINDOW,
        needs=("(", ":", ")"),
    ),
    # "... the city.Credit...Kirsten Luce for The New York Times", "Credit Harry Campbell":
    # the New York Times style, glued to the caption or on a line of its own
    CreditPattern(
        rf"(?:(?<=[.!?\"”’)])\s*|^)(?P<label>Credit)(?:\s*(?:\.{{2,}}|…|:)\s*|\s+|(?={CAPITAL}))"
        rf"(?P<name>{_PROPER})\.?\s*$",
        window=_WINDOW,
        needs=("Credit",),
    ),
    # "... parliament. Photo: Tom Ellery / Getty Images", "| Image: Supplied"
    CreditPattern(
        rf"(?:(?<=[.!?\"”’)])\s+|\s*[|–—-]\s*|^)(?P<label>{_LABELS})\s*:\s*(?P<name>{_NAME})\.?\s*$",
        window=_WINDOW,
        needs=(":",),
    ),
    # "... at the rally. REUTERS/Jane Doe", "AAP Image/Lukas Coch", "EPA-EFE/Jo Bloggs/File Photo"
    CreditPattern(
        rf"(?:(?<=[.!?\"”’)])\s+|^)(?P<name>(?:{CAPITALS}[{CAPITALS}-]{{1,}}"
        rf"(?: {CAPITALS}[{CAPITALS}-]{{1,}})?(?: Image| Photo| Images)?)"
        rf"\s?/\s?{CAPITAL}[\w.'’-]+(?: {CAPITAL}[\w.'’-]+){{0,3}}(?:\s?/\s?File(?: Photo)?)?"
        rf"(?:\s?/\s?via {CAPITAL}[\w.-]+)?)\s*$",
        role="photographer",
        window=_WINDOW,
        needs=("/",),
    ),
    # "... in Paris. Jane Doe/Agence France-Presse — Getty Images", "Fethi Belaid/AFP/Getty Images":
    # the photographer, the agency, then the picture library that distributes it
    CreditPattern(
        rf"(?:(?<=[.!?\"”’)])\s+|^)(?P<name>{_PERSON}\s?/\s?{_ORG}"
        rf"(?:\s?/\s?{_ORG}|\s+[—–]\s+{_ORG})?)\s*$",
        role="photographer",
        window=_WINDOW,
        needs=("/",),
    ),
    # "... on Tuesday. (Getty Images)", "(AP Photo/Jane Doe)"
    CreditPattern(
        r"\s*\((?P<name>(?:Getty Images|AP Photo/[^()]{1,60}|AFP(?:/[^()]{1,60})?"
        r"|Reuters(?:/[^()]{1,60})?|Supplied|File))\)\s*$",
        role="photographer",
        window=_WINDOW,
        needs=("(", ")"),
    ),
)

# The first of each default pattern's needs, once each; empty (no quick answer) unless every
# default pattern searches the last _WINDOW characters and needs something.
_DEFAULT_FIRST_NEEDS = (
    tuple(dict.fromkeys(p.needs[0] for p in DEFAULT_CREDIT_PATTERNS))
    if all(p.window == _WINDOW and p.needs for p in DEFAULT_CREDIT_PATTERNS)
    else ()
)

# Organisations recognisable from their name: agencies, broadcasters, "Images", "Press".
_ORG_HINTS = re.compile(
    r"\b(Getty|Reuters|REUTERS|AFP|AAP|AP|EPA|EFE|Alamy|Shutterstock|iStock|Bloomberg|Xinhua|"
    r"Images?|Photos?|Press|News|Agency|Media|Ltd|Inc|Corp|Group|TV|Radio|RNZ|BBC|CNN|NZME|Stuff|"
    r"Pool|Archive|Library|Ministry|Council|Police|Department|University|File|Trust|Alliance|"
    r"Association|Society|Foundation|Institute|Commission|Authority|Services?|Museum|Board)\b"
)
_VIA = re.compile(r"\s*/\s*via\s+(?P<agency>[^/]+?)\s*$", re.IGNORECASE)
# How the picture was made, not who made it: "REUTERS/Jane Doe/File Photo", "REUTERS/Jane Doe/Pool"
_PICTURE_NOTE = re.compile(r"\s*/\s*(?:File(?: Photo)?|Pool)\s*$", re.IGNORECASE)


def agent_kind(name: str, default: AgentKind = AgentKind.PERSON) -> AgentKind:
    if _ORG_HINTS.search(name) or name.isupper():
        return AgentKind.ORGANIZATION
    return default


@dataclass(frozen=True)
class CaptionCredit:
    caption: str  # the caption with the credit cut off
    credits: tuple[Credit, ...]


def split_caption_credit(
    text: str,
    target: str,
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
) -> CaptionCredit | None:
    """Cut a trailing credit off a caption; None when the text carries no credit."""
    if patterns is DEFAULT_CREDIT_PATTERNS and not may_hold_default_credit(text):
        return None
    searched, searched_from = text, 0
    for credit_pattern in patterns:
        start = max(0, len(text) - credit_pattern.window) if credit_pattern.window else 0
        if credit_pattern.needs:
            if start != searched_from:
                searched, searched_from = text[start:], start
            # no match can lack what it needs: most paragraphs end in prose
            if not _holds_all(searched, credit_pattern.needs):
                continue
        match = credit_pattern.compiled().search(text, start)
        if match is None:
            continue
        name = match.group("name").strip().rstrip(".").strip()
        if not name:
            continue
        label = match.groupdict().get("label") or ""
        role = _role_for(credit_pattern.role, label)
        raw = match.group(0).strip(" |–—-").strip() if label else match.group(0).strip()
        agency = (match.groupdict().get("agency") or "").strip()
        if agency and " " not in agency and agent_kind(agency) is not AgentKind.ORGANIZATION:
            continue  # "(Update: New Details)": a one-word label that names no organisation
        credits = credits_from_name(f"{name}/{agency}" if agency else name, role, target, raw)
        caption = text[: match.start()].rstrip(" |–—-").strip()
        return CaptionCredit(caption=caption, credits=credits)
    return None


def may_hold_default_credit(text: str) -> bool:
    """The last _WINDOW characters hold the first need of some default pattern: without one, no
    default pattern is searched (most paragraphs: five substring tests instead of seven
    patterns' checks)."""
    if not _DEFAULT_FIRST_NEEDS:
        return True
    tail = text[-_WINDOW:]
    for needed in _DEFAULT_FIRST_NEEDS:  # noqa: SIM110 (no generator for five strings)
        if needed in tail:
            return True
    return False


def _holds_all(text: str, needs: tuple[str, ...]) -> bool:
    for needed in needs:  # noqa: SIM110 (a loop, not all(...): no generator for one to three)
        if needed not in text:
            return False
    return True


def _role_for(explicit: str, label: str) -> Role:
    if explicit:
        return Role(explicit)
    return LABEL_ROLES.get(label.lower(), Role.CONTRIBUTOR)


_SLASH = re.compile(r"\s*/\s*")
_DISTRIBUTED_BY = re.compile(r"\s+[—–]\s+(?P<distributor>[^/—–]+?)\s*$")  # "... — Getty Images"
_FOR_OUTLET = regex.compile(rf"^(?P<person>.+?)\s+for\s+(?P<outlet>(?:[Tt]he\s+)?{CAPITAL}.*)$")
SUPPLIED = "Supplied"


def credits_from_name(name: str, role: Role, target: str, raw: str) -> tuple[Credit, ...]:
    """Turn the credited text into credits: `Tom Ellery/Getty Images`, `REUTERS/Jane Doe`,
    `AAP Image/Lukas Coch`, `Supplied`, `Supplied/Marine Institute` (provider and source),
    `Adrian Malloch for the Guardian`, `Jane Doe/Agence France-Presse — Getty Images`
    (photographer, agency, distributor), or a plain name."""
    if name.lower() == SUPPLIED.lower():
        return (Credit(Agent(SUPPLIED, AgentKind.UNKNOWN), Role.PROVIDER, target, raw),)
    if "/" in name:  # what _PICTURE_NOTE and _VIA cannot match without
        name = _PICTURE_NOTE.sub("", name)
        via = _VIA.search(name)
    else:
        via = None
    if via is not None:
        # "AAP Image/Jane Doe/via REUTERS": the picture as credited, then who distributed it
        distributor = Agent(via.group("agency"), AgentKind.ORGANIZATION)
        credited = credits_from_name(name[: via.start()], role, target, raw)
        return (*credited, Credit(distributor, Role.DISTRIBUTOR, target, raw))
    library = _DISTRIBUTED_BY.search(name)
    if library is not None and "/" in name[: library.start()]:
        distributor = Agent(library.group("distributor"), AgentKind.ORGANIZATION)
        credited = credits_from_name(name[: library.start()], role, target, raw)
        return (*credited, Credit(distributor, Role.DISTRIBUTOR, target, raw))
    parts = [p.strip() for p in _SLASH.split(name) if p.strip()]
    if len(parts) >= 2 and parts[0].lower() == SUPPLIED.lower():
        # "Supplied/Marine Institute": handed to us by the one who holds the picture
        source = Agent(" / ".join(parts[1:]), AgentKind.ORGANIZATION)
        supplied = Agent(SUPPLIED, AgentKind.UNKNOWN)
        return (
            Credit(supplied, Role.PROVIDER, target, raw),
            Credit(source, Role.SOURCE, target, raw),
        )
    if len(parts) >= 3 and not _is_wire_first(parts[0]):
        # "Fethi Belaid/AFP/Getty Images": the last name distributes what the agency credits
        distributor = Agent(parts[-1], AgentKind.ORGANIZATION)
        credited = credits_from_name("/".join(parts[:-1]), role, target, raw)
        return (*credited, Credit(distributor, Role.DISTRIBUTOR, target, raw))
    if len(parts) >= 2:
        person, agency = _person_and_agency(parts)
        if role in (Role.SOURCE, Role.PROVIDER):
            role = Role.PHOTOGRAPHER
        return (
            Credit(
                Agent(person, agent_kind(person)),
                role,
                target,
                raw,
                on_behalf_of=Agent(agency, AgentKind.ORGANIZATION),
            ),
        )
    outlet = _FOR_OUTLET.match(name)
    if outlet is not None and looks_like_name(outlet.group("person")):
        # "Adrian Malloch for the Guardian": the photographer, working for the outlet
        person = outlet.group("person")
        return (
            Credit(
                Agent(person, AgentKind.PERSON),
                Role.PHOTOGRAPHER if role is Role.SOURCE else role,
                target,
                raw,
                on_behalf_of=Agent(outlet.group("outlet"), AgentKind.ORGANIZATION),
            ),
        )
    kind = AgentKind.ORGANIZATION if role is Role.SOURCE else agent_kind(name)
    if role is Role.PHOTOGRAPHER and kind is AgentKind.ORGANIZATION:
        role = Role.DISTRIBUTOR  # "Photo: Getty Images" credits the agency, not a photographer
    return (Credit(Agent(name, kind), role, target, raw),)


def _is_wire_first(part: str) -> bool:
    first = part.split()[0]
    # "REUTERS", "AAP", "EPA-EFE"; not a person's initials ("J.R. Smith/ABC News")
    return first.isupper() and len(first) > 1 and "." not in first


def _person_and_agency(parts: list[str]) -> tuple[str, str]:
    # Wire style puts the agency first in capitals ("REUTERS/Jane Doe", "AAP Image/Lukas Coch");
    # most others put the person first ("Tom Ellery/Getty Images").
    first, rest = parts[0], parts[1:]
    if _is_wire_first(first):
        return " / ".join(rest), first
    return first, " / ".join(rest)


# --- bylines and wire credits -------------------------------------------------------------------

_BYLINE = re.compile(
    r"^(?:(?:posted|written|words|reported|story|text|interview)\s+)?(?:By|BY|by)\s*:?\s+"
    r"(?P<names>[^\d].{1,200})$",
    re.IGNORECASE,
)
# What _BYLINE and _WIRE_CLAUSE cannot match without, in their case-insensitive reading (mending
# glued digits only puts spaces between a letter and a digit, so it cannot make one).
_BY = re.compile("by", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(reporter|correspondent|editor|writer|journalist|columnist|producer|presenter|"
    r"staff|contributor|contributing|intern|commentator|analyst|engineer|developer|designer|"
    r"manager|director|scientist|researcher|professor|founder|officer|head|lead|chief|"
    r"photographer|critic|author|blogger|host|team)s?\b",
    re.IGNORECASE,
)
_NAME_TOKEN = regex.compile(rf"^{CAPITAL}[\w.'’-]*$|^(?:de|van|von|der|da|di|le|la|du|bin|al)$")
# A generational suffix that ends a name: "Sammy Davis, Jr.", "John Smith, III". After a comma
# it is still the name before it, never a name or an outlet of its own.
_GENERATION = r"(?:Jr|Sr|II|III|IV)\.?(?=\s*(?:$|[,;&]|and\s))"
_GENERATION_AFTER_COMMA = re.compile(rf",\s*{_GENERATION}$", re.IGNORECASE)
_GENERATION_AT_END = re.compile(r"\b(?:Jr|Sr|II|III|IV)$", re.IGNORECASE)
# "A, B and C"; "A AND B" in a byline printed in capitals; not the comma before "Jr."
_SPLIT_NAMES = re.compile(
    rf"\s*(?:,\s*and\s+|,(?!\s*{_GENERATION})\s*|\s+and\s+|\s*&\s*)\s*", re.IGNORECASE
)
# Where the names of a byline stop and the page goes on: a date or time, a handle, a
# separator, a "Follow" button ("By A March 18 at 3:57 PM Follow @a", "by A July 10, 2015").
_BYLINE_TAIL = re.compile(
    r"\s+(?=[|·•@]|[-–—]\s|\d|(?:on\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d|(?:follow|updated|published|posted)\b)",
    re.IGNORECASE,
)
_GLUED_DIGITS = regex.compile(rf"(?<={LOWER})(?=\d)")  # "Lucas Nolan22 Dec 2016": a space lost
_SITE_NAME = re.compile(r"^[\w-]+(?:\.[a-z]{2,})+$")  # "Cleveland.com", "NJ.com": an outlet
_PLACE_OR_OUTLET = regex.compile(rf"\s+(?:in|for|on|at)\s+{CAPITAL}[\w\s]*$")  # "By A in Łódź"
_IN_PLACE = regex.compile(rf"\s+in\s+{CAPITAL}[\w\s]*$")  # "Reporting by A in Brussels"


def looks_like_name(text: str, max_words: int = 4) -> bool:
    words = text.split()
    return 2 <= len(words) <= max_words and all(_NAME_TOKEN.match(w) for w in words)


def is_name_word(word: str) -> bool:
    """A word that looks_like_name takes: capitalised, or a surname particle."""
    return _NAME_TOKEN.match(word) is not None


# Words of menus, buttons and section labels, and function words: a line holding one is not a
# bare name line ("More Options", "Our Foreign Staff", "Older Article", "Get Started").
_NOT_NAME_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "your",
        "my",
        "his",
        "her",
        "their",
        "this",
        "that",
        "these",
        "all",
        "more",
        "most",
        "get",
        "see",
        "view",
        "read",
        "share",
        "sign",
        "log",
        "in",
        "out",
        "up",
        "on",
        "off",
        "follow",
        "followed",
        "new",
        "older",
        "newer",
        "next",
        "previous",
        "back",
        "top",
        "home",
        "about",
        "contact",
        "options",
        "services",
        "service",
        "article",
        "articles",
        "story",
        "stories",
        "news",
        "latest",
        "popular",
        "related",
        "comments",
        "comment",
        "subscribe",
        "menu",
        "search",
        "help",
        "started",
        "start",
        "watch",
        "listen",
        "play",
        "video",
        "photos",
        "photo",
        "gallery",
        "sponsored",
        "advertisement",
        "edition",
        "section",
        "sections",
        "page",
        "pages",
        "site",
        "blog",
    ]
)


def looks_like_person(text: str, max_words: int = 4) -> bool:
    """A line that is a person's name alone: capitalised words, none of them a menu, button or
    function word, no job title."""
    return (
        looks_like_name(text, max_words)
        and not any(w.lower().strip(".,") in _NOT_NAME_WORDS for w in text.split())
        and not looks_like_role(text)
    )


def looks_like_role(text: str) -> bool:
    """A short line naming a job, printed under a byline: `Games Editor`, `eHow Contributor`,
    `Seattle Times business reporter`."""
    return (
        len(text.split()) <= 6
        and not text.endswith((".", "!", "?"))
        and _ROLE_WORDS.search(text) is not None
    )


@dataclass(frozen=True)
class Byline:
    credits: tuple[Credit, ...]
    rest: str  # what the line goes on with after the names (a date, a handle): "" when nothing


def split_byline(line: str) -> Byline | None:
    """A byline and what follows it on the same line: `by Laura Topolsky July 10, 2015` gives
    the author and `July 10, 2015` (for the caller to read as a date). None when not a byline."""
    if _BY.search(line) is None:
        return None  # every byline says "by" (most lines do not: no need to mend their digits)
    text = _GLUED_DIGITS.sub(" ", line.strip().lstrip("/|·•*#>-–— "))  # "// By A • Nov 11, 2020"
    match = _BYLINE.match(text)
    if match is None:
        return None
    names_text, rest = match.group("names"), ""
    tail = _BYLINE_TAIL.search(names_text)
    if tail is not None:
        names_text, rest = names_text[: tail.start()], names_text[tail.end() :]
    credits = _byline_names(_trim_end(names_text.strip(), ".,;:"), line.strip())
    return Byline(credits, rest.strip()) if credits else None


def _trim_end(text: str, punctuation: str) -> str:
    """The text without the punctuation it ends in; the full stop of a last "Jr." is the
    name's own, and stays."""
    trimmed = text.rstrip(punctuation)
    if text[len(trimmed) : len(trimmed) + 1] == "." and _GENERATION_AT_END.search(trimmed):
        return trimmed + "."
    return trimmed


def parse_byline(line: str) -> tuple[Credit, ...] | None:
    """`By A and B`, `By A, political reporter`, `By A, B and C`; None when it is not a byline.
    A date or handle after the names is left out (split_byline gives it)."""
    byline = split_byline(line)
    return byline.credits if byline is not None else None


def parse_author(text: str) -> tuple[Credit, ...] | None:
    """An author as metadata states it (a page's meta or JSON-LD, an export): a byline with or
    without its "By" (`By A, AP Auto Writer`, `A and B`, `A, political reporter`), read as
    every byline is; None (or no credits) when it is none."""
    return parse_byline(text) or parse_byline(f"By {text}")


def _byline_names(names_text: str, raw: str) -> tuple[Credit, ...]:
    names_text = _PLACE_OR_OUTLET.sub("", names_text)
    credits: list[Credit] = []
    for part in _SPLIT_NAMES.split(names_text):
        part = part.strip()
        if not part:
            continue
        role_words = _ROLE_WORDS.search(part) is not None  # searched once: a long alternation
        if role_words and not credits:
            continue  # "By TMZ Staff", "By Our Foreign Staff": a desk, not a person
        if role_words:
            role = (
                Role.REPORTER if re.search(r"reporter|correspondent", part, re.I) else Role.AUTHOR
            )
            last = credits[-1]
            credits[-1] = Credit(last.agent, role, last.target, last.raw)
            wire = part.split()[0]
            if wire in KNOWN_WIRES and wire != part:  # "AP Auto Writer": the wire she writes for
                credits.append(Credit(Agent(wire, AgentKind.ORGANIZATION), Role.SOURCE, raw=raw))
            continue
        if credits and (
            part in KNOWN_WIRES
            or (part.isupper() and not looks_like_name(part))
            or _SITE_NAME.match(part)
        ):
            # "By Tess Ikonomou, AAP", "Troy L. Smith, Cleveland.com": whom she files for
            credits.append(Credit(Agent(part, AgentKind.ORGANIZATION), Role.SOURCE, raw=raw))
            continue
        bare = _GENERATION_AFTER_COMMA.sub("", part)  # "Sammy Davis, Jr.": a name's words
        if not looks_like_name(bare, max_words=5) and not (
            len(part.split()) == 1 and part[:1].isupper()
        ):
            return ()
        if part.lower() in NOT_NAMES:
            return ()
        credits.append(Credit(_author(part), Role.AUTHOR, raw=raw))
    return tuple(credits)


def _author(name: str) -> Agent:
    """Whom a byline names. A name of several words printed wholly in capitals (`By TOM
    KRISHER`) is the site's typography, not the name: a person's is given its conventional
    case; one that reads as an organisation's (an acronym, `BBC NEWS`, `ASSOCIATED PRESS`) stays
    as printed. Any other name is kept exactly as written (`danah boyd`, `de la Cruz`)."""
    if not (name.isupper() and " " in name):
        return Agent(name, agent_kind(name))
    cased = name_case(name)
    if (
        _ORG_HINTS.search(name)
        or _ORG_HINTS.search(cased)
        or any(_ACRONYM.match(word) for word in name.split())
    ):
        return Agent(name, AgentKind.ORGANIZATION)
    return Agent(cased, AgentKind.PERSON)


# Surname particles, lower case inside a name: "Maria de la Cruz", "Ludwig van Beethoven".
_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "di", "da", "dos", "das", "du", "la", "le", "van", "von",
     "ten", "ter", "bin", "al"}
)
_ROMAN = re.compile(r"^(?:II|III|IV|VI{0,3})$")  # "JOHN SMITH III": a suffix, not a word
_ACRONYM = re.compile(r"^[B-DF-HJ-NP-TV-XZ]{3,}$")  # no vowel: "NPR", "BBC", never a name
_LETTERS = re.compile(r"[^\W\d_]+")
# "MC" leads a surname (McDonald, McEwan) often enough to be read so; "MAC" does not (Mack,
# Macy, Machado), so a Mac name stays Macdonald rather than risk MacHado.
_MC = regex.compile(rf"^Mc(?={LOWER}{{2}})")


def name_case(name: str) -> str:
    """A person's name printed in capitals, in its conventional case: `JEAN-PAUL O'BRIEN` ->
    Jean-Paul O'Brien, `J.R. SMITH` -> J.R. Smith, `ANGUS MCDONALD` -> Angus McDonald, `MARIA DE
    LA CRUZ` -> Maria de la Cruz, `JOHN SMITH III` -> John Smith III."""
    words = name.split()
    cased = []
    for i, word in enumerate(words):
        inside = 0 < i < len(words) - 1
        if inside and word.lower() in _PARTICLES:
            cased.append(word.lower())
        elif i > 0 and _ROMAN.match(word):
            cased.append(word)
        else:
            cased.append(_word_case(word))
    return " ".join(cased)


def _word_case(word: str) -> str:
    # Every run of letters capitalised (Smith-Jones, J.R., O'Brien), except one after an
    # apostrophe that follows more than one letter: Thiong'o, not Thiong'O.
    def run(match: re.Match[str]) -> str:
        before = word[: match.start()]
        if before.endswith(("'", "’")) and len(_LETTERS.findall(before)[-1]) > 1:
            return match.group().lower()
        letters = match.group().capitalize()
        if _MC.match(letters):
            return "Mc" + letters[2:].capitalize()
        return letters

    return _LETTERS.sub(run, word)


#: Words pages print where a byline could stand that never name a person.
NOT_NAMES = frozenset(
    {"supplied", "staff", "taboola", "outbrain", "admin", "sign in", "log in", "anonymous"}
)


_WIRE_ROLES = {
    "reporting": Role.REPORTER,
    "additional reporting": Role.CONTRIBUTOR,
    "writing": Role.AUTHOR,
    "editing": Role.EDITOR,
    "compiled": Role.EDITOR,
    "graphics": Role.ILLUSTRATOR,
    "photography": Role.PHOTOGRAPHER,
}
_WIRE_CLAUSE = re.compile(
    r"^\s*(?P<label>additional reporting|reporting|writing|editing|compiled|graphics|photography)"
    r"\s+by\s+(?P<names>.+?)\s*$",
    re.IGNORECASE,
)


def parse_wire_credits(line: str) -> tuple[Credit, ...] | None:
    """`Reporting by A and B; Editing by C` (Reuters style); None when it is something else."""
    if _BY.search(line) is None:
        return None  # every clause says "by"
    text = _trim_end(line.strip().strip("()"), ".")
    clauses = [c for c in re.split(r"\s*;\s*", text) if c]
    credits: list[Credit] = []
    for clause in clauses:
        match = _WIRE_CLAUSE.match(clause)
        if match is None:
            return None
        role = _WIRE_ROLES[match.group("label").lower()]
        for name in _SPLIT_NAMES.split(match.group("names")):
            name = _IN_PLACE.sub("", name.strip())
            if name:
                credits.append(Credit(Agent(name, agent_kind(name)), role, raw=line.strip()))
    return tuple(credits) or None


# "WELLINGTON, March 12 (Reuters) - ", "LONDON (AP) — ", "SYDNEY, April 3 (AAP): "
_AGENCY_DATELINE = regex.compile(
    rf"^(?P<place>{CAPITALS}[{CAPITALS}.'’ -]{{1,40}}(?:,\s*{CAPITAL}[\p{{L}}.]+)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s+\((?P<agency>[A-Za-z][\w .&-]{0,30})\)\s*[-–—:]+\s*"
)


@dataclass(frozen=True)
class AgencyDateline:
    place: str
    credit: Credit
    rest: str  # the paragraph without the dateline


def parse_agency_dateline(paragraph: str) -> AgencyDateline | None:
    match = _AGENCY_DATELINE.match(paragraph)  # a place in capitals: "Wellington (AP) -" is prose
    if match is None:
        return None
    agency = match.group("agency").strip()
    raw = match.group(0).strip()
    credit = Credit(Agent(agency, AgentKind.ORGANIZATION), Role.SOURCE, raw=raw)
    return AgencyDateline(match.group("place").strip(), credit, paragraph[match.end() :])


KNOWN_WIRES = (
    "AAP",
    "AP",
    "AFP",
    "Reuters",
    "RNZ",
    "Bloomberg",
    "PA",
    "dpa",
    "Xinhua",
    "CNN",
    "BBC",
    "ABC",
    "NZME",
    "Stuff",
    "1News",
    "Newsroom",
    "The Conversation",
    "Kyodo",
    "Yonhap",
    "ANI",
    "PTI",
)
_SIGN_OFF_LINE = regex.compile(rf"^[-–—]\s*(?P<agency>{CAPITAL}[\w.&' -]{{0,30}}?)\s*\.?$")
_SIGN_OFF_TAIL = re.compile(
    r"\s+[-–—]\s*(?P<agency>" + "|".join(re.escape(w) for w in KNOWN_WIRES) + r")\s*\.?$"
)


def parse_sign_off(line: str) -> Credit | None:
    """A line `- Reuters` or `– AAP` standing alone under the story."""
    if not line.strip().startswith(("-", "–", "—")):
        return None  # what _SIGN_OFF_LINE starts with
    match = _SIGN_OFF_LINE.match(line.strip())
    if match is None or len(match.group("agency").split()) > 4:
        return None
    agency = match.group("agency").strip()
    return Credit(Agent(agency, AgentKind.ORGANIZATION), Role.SOURCE, raw=line.strip())


def split_sign_off_tail(paragraph: str) -> tuple[str, Credit] | None:
    """A known wire signing off the last paragraph: `... on Tuesday. - AAP`."""
    end = paragraph.rstrip()
    if not end.removesuffix(".").rstrip().endswith(KNOWN_WIRES):
        return None  # the wire's name stands last, but for spaces and a full stop
    match = _SIGN_OFF_TAIL.search(paragraph)
    if match is None:
        return None
    agency = match.group("agency")
    credit = Credit(Agent(agency, AgentKind.ORGANIZATION), Role.SOURCE, raw=match.group(0).strip())
    return paragraph[: match.start()].rstrip(), credit


# --- a line that is nothing but credits -------------------------------------------------------


@dataclass(frozen=True)
class CreditLine:
    credits: tuple[Credit, ...]
    rights: Rights | None = None


def parse_credit_line(text: str, *, allow_sign_off: bool = True) -> CreditLine | None:
    """A short line that newsrooms print in the body but that is attribution, not prose:
    `Reporting by A; Editing by B`, a `- Reuters` sign-off (not allowed as a first paragraph,
    where a dash line is more likely a list), or a copyright line. None for anything else."""
    wire = parse_wire_credits(text)
    if wire is not None:
        return CreditLine(wire)
    sign_off = parse_sign_off(text) if allow_sign_off else None
    if sign_off is not None:
        return CreditLine((sign_off,))
    notice = parse_copyright(text)
    if notice is not None:
        return CreditLine((), Rights(notice=notice[0], holder=notice[1]))
    return None


# --- rights -------------------------------------------------------------------------------------

_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|Copyright(?:\s*©)?)\s*(?:(?P<year>\d{4}(?:\s*[-–]\s*\d{4})?)\s*,?\s*)?"
    r"(?P<holder>[^.]{2,80}?)?\.?\s*(?:All rights reserved\.?)?$",
    re.IGNORECASE,
)


def parse_copyright(line: str) -> tuple[str, Agent | None] | None:
    """`© 2025 Example News Ltd. All rights reserved.` -> (notice, holder)."""
    text = line.strip()
    match = _COPYRIGHT.match(text)
    if match is None:
        return None
    holder = (match.group("holder") or "").strip(" ,")
    return text, (Agent(holder, AgentKind.ORGANIZATION) if holder else None)
