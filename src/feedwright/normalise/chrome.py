"""Page chrome: the share buttons, adverts, link lists and notices that surround an article on
its page and are not part of it. One list for every reader, so a line dropped from a text dump
is dropped from an extracted html body too; a feed extends it in its TOML."""

from __future__ import annotations

import re

#: Lines dropped wherever they stand (compared without case or trailing punctuation).
DEFAULT_CHROME = frozenset(
    word.strip()
    for word in """
    share|share me|share this|share this article|share this story|share article|share via
    share on facebook|share on twitter|share on x|share on whatsapp|share on linkedin|tweet
    facebook|twitter|whatsapp|linkedin|email|e-mail|print|copy link|link copied|save|saved
    save article|bookmark|gift this article|advertisement|advertise with us|ad|sponsored
    skip to content|skip to main content|skip advertisement|listen|listen to this article
    comments|show comments|view comments|leave a comment|add a comment|join the conversation
    have your say|sign up|subscribe|subscribe now|sign up for our newsletter|follow us
    download our app|watch|watch live|close|menu|home|back to top|loading|loading...
    our standards|why you can trust us|trust project|editorial standards|report an error
    sign in|log in|login|log out|logout|register|sign in / sign up|sign up / sign in|sign out
    sign in / register|log in / register|my account|search|go|toggle navigation|main menu
    reuse this content|report this ad|sponsored links|sponsored content|promoted stories
    continue reading|continue reading the main story|continue reading below|story continues below
    article continues below|continue reading the main story share this page|read later
    """.replace("\n", "|").split("|")
    if word.strip()
)

#: Lines that start the end matter of a page: they and everything after them are dropped.
END_MARKERS = frozenset(
    {
        "more stories",
        "related stories",
        "related",
        "related articles",
        "related content",
        "related news",
        "you might also like",
        "you may also like",
        "recommended",
        "recommended for you",
        "most read",
        "most popular",
        "latest news",
        "top stories",
        "more from",
        "read next",
        "up next",
        "trending",
        "popular now",
        "related coverage",
        "related reading",
        "related posts",
        "related videos",
        "further reading",
        "recommended reading",
        "more to explore",
        "around the web",
        "from the web",
        "you may be interested in",
        "you might be interested in",
        "trending now",
        "most viewed",
        "editor's picks",
        "promoted links",
        "promoted stories",
        "sponsored stories",
        "paid content",
        "more for you",
        "by taboola",
        "by outbrain",
        "we recommend",
        "you may like",
        "recommended stories",
        "other people are reading",
        "related searches",
    }
)

#: Lines that open a page's comments (chrome themselves): the readers' prose below them is not
#: the article's, so a reader of whole pages counts them as end matter.
COMMENT_MARKERS = frozenset(
    {
        "comments",
        "show comments",
        "view comments",
        "responses",
        "reader comments",
        "join the conversation",
        "join the discussion",
        "leave a comment",
        "add a comment",
        "have your say",
        "discussion",
        "conversation",
    }
)

#: Lines that introduce a list of links to other articles: the list is dropped with them.
LIST_MARKERS = frozenset({"read more", "also read", "see also", "read also", "related links"})

CHROME_PATTERNS = (
    re.compile(r"^(?:share|follow) (?:on|via|us on) \w+", re.I),
    re.compile(r"^listen to (?:this|the) (?:article|story)\b.*\d+\s*min", re.I),
    re.compile(r"^\d+\s*min(?:ute)?s?\s+read$", re.I),
    re.compile(
        r"^(?:what do you think|tell us what you think|have your say"
        r"|comments? (?:are|is) (?:closed|open))",
        re.I,
    ),
    re.compile(r"^(?:sign up|subscribe) (?:to|for) (?:our|the) .{0,40}newsletter", re.I),
    re.compile(
        r"^(?:this (?:article|story) (?:is|was) (?:produced|written|reviewed|fact-checked)"
        r"|learn more about our (?:editorial )?standards)",
        re.I,
    ),
    re.compile(r"^(?:image|photo|video) \d+ of \d+$", re.I),
    re.compile(r"^(?:our standards|editorial standards|the trust project)\b", re.I),
    re.compile(r"^advert(?:isement)?\b.{0,40}$", re.I),  # ad slot labels that survive extraction
    re.compile(r".{0,300}…\s*(?:read more\s*)+$", re.I),  # a teaser: "It seems… Read more"
    # cookie and consent banners, printed as prose above or below the article
    re.compile(
        r"^(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b"
        r"|^by (?:continuing|using) (?:to use )?(?:this|our) (?:web)?site\b",
        re.I,
    ),
)


# The shapes as one alternation: one regex run per line instead of one per shape. A shape that
# cannot match without a character the line lacks is left to a second run, only for lines that
# hold it: the teaser's `.{0,300}…` scans a whole paragraph of prose to say no.
_NEEDS = "…"
_CHROME_SHAPES = re.compile(
    "|".join(f"(?:{p.pattern})" for p in CHROME_PATTERNS if _NEEDS not in p.pattern), re.I
)
_CHROME_SHAPES_NEEDING = re.compile(
    "|".join(f"(?:{p.pattern})" for p in CHROME_PATTERNS if _NEEDS in p.pattern) or "(?!)", re.I
)


def _chrome_shaped(text: str) -> bool:
    """One of CHROME_PATTERNS matches the line (their alternation, in two runs)."""
    return _CHROME_SHAPES.match(text) is not None or (
        _NEEDS in text and _CHROME_SHAPES_NEEDING.match(text) is not None
    )


def chrome_key(text: str) -> str:
    """A line as the chrome lists compare it: no case, no trailing punctuation or arrows."""
    return text.lower().strip(" .:!?|>»›→-–—").strip()


def is_chrome(text: str, extra: frozenset[str] = frozenset()) -> bool:
    """A line that is page chrome: in the default list, in the feed's extra list (keys made with
    chrome_key), or of a chrome shape (share prompts, read times, newsletter pleas, a teaser
    title printed twice over...)."""
    key = chrome_key(text)
    return (
        key in DEFAULT_CHROME
        or key in extra
        or _chrome_shaped(text)
        or _said_twice(text)
    )


def _said_twice(text: str) -> bool:
    """`How to Binge Less How to Binge Less`: a link and its tooltip, never prose."""
    first = text.split(None, 1)
    if not first or text.count(first[0]) < 2:
        return False  # its first word is not printed twice (most lines: no need to split them)
    words = text.split()
    if not 6 <= len(words) <= 60 or words.count(words[0]) < 2:
        return False
    for period in range(3, len(words) // 2 + 1):
        if (
            len(words) % period == 0
            and words[period] == words[0]  # the repeat starts there: no list built to say no
            and words == words[:period] * (len(words) // period)
        ):
            return True
    return False
