"""feeds/*.toml loading: every key typed, every mistake named with file, key and line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from feedwright.config import (
    DEFAULT_LIMIT,
    ConfigError,
    find_feed_configs,
    load_feed_config,
)
from feedwright.model import AgentKind

MINIMAL = """\
title = "Example News"
link = "https://example.org/"
tag_authority = "example.org,2026"
sources = ["articles/*.txt"]
"""

FULL = """\
title = "Example News"
link = "https://example.org/"
id = "tag:example.org,2026:feed/main"
description = "Everything we publish"
language = "en-NZ"
timezone = "Pacific/Auckland"
rights = "© 2026 Example News Ltd"
icon = "https://example.org/icon.png"
sources = ["articles/*.txt", "more/**/*.txt"]
formats = ["json", "atom"]
base_url = "https://example.org/feeds/"
limit = 20
content = "summary"
deleted_grace_days = 2.5

[[authors]]
name = "Newsroom"
kind = "organization"
url = "https://example.org/newsroom"

[[authors]]
name = "Jo Bloggs"
email = "jo@example.org"

[output]
dir = "out"
atom = "main.xml"

[text]
chrome = ["Share this story"]
credit_patterns = [
  { pattern = '\\(Pic: (?P<name>[^)]+)\\)', role = "photographer" },
]
"""


def write(tmp_path: Path, text: str, name: str = "news") -> Path:
    path = tmp_path / "feeds" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_feed_config(path)
    return info.value


def test_minimal_config_gets_documented_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    c = load_feed_config(path)
    assert c.name == "news"
    assert c.id == "tag:example.org,2026:feed/news"
    assert c.tag_authority == "example.org,2026"
    assert c.formats == ("rss", "atom", "json")
    assert c.output_dir == (tmp_path / "public").resolve()
    assert [c.file_name(f) for f in c.formats] == ["news.rss.xml", "news.atom.xml", "news.json"]
    assert c.timezone == "UTC"
    assert c.limit == DEFAULT_LIMIT
    assert c.content == "full"
    assert c.deleted_grace == timedelta(days=7)
    assert c.self_url("rss") is None
    feed = c.feed()
    assert (feed.id, feed.title, feed.link, feed.entries) == (c.id, "Example News",
                                                               "https://example.org/", ())


def test_every_key_is_read(tmp_path: Path) -> None:
    c = load_feed_config(write(tmp_path, FULL))
    assert c.id == "tag:example.org,2026:feed/main"
    assert c.tag_authority == "example.org,2026"  # taken from the tag: id
    assert c.description == "Everything we publish"
    assert c.language == "en-NZ"
    assert c.timezone == "Pacific/Auckland"
    assert c.icon == "https://example.org/icon.png"
    assert c.sources == ("articles/*.txt", "more/**/*.txt")
    assert c.formats == ("atom", "json")  # canonical order
    assert c.output_dir == (tmp_path / "feeds" / "out").resolve()
    assert c.file_name("atom") == "main.xml"
    assert c.file_name("json") == "news.json"
    assert c.self_url("atom") == "https://example.org/feeds/main.xml"
    assert c.limit == 20
    assert c.content == "summary"
    assert c.deleted_grace == timedelta(days=2.5)
    assert [a.name for a in c.authors] == ["Newsroom", "Jo Bloggs"]
    assert c.authors[0].kind is AgentKind.ORGANIZATION
    assert c.authors[1].email == "jo@example.org"
    assert c.text_chrome == ("Share this story",)
    assert c.credit_patterns[0].role == "photographer"
    assert "(?P<name>" in c.credit_patterns[0].pattern
    feed = c.feed()
    assert feed.rights is not None and feed.rights.notice == "© 2026 Example News Ltd"
    assert feed.authors == c.authors


def test_limit_zero_means_no_limit(tmp_path: Path) -> None:
    assert load_feed_config(write(tmp_path, MINIMAL + "limit = 0\n")).limit is None


def test_unknown_key_names_file_key_line_and_suggestion(tmp_path: Path) -> None:
    err = error_of(tmp_path, MINIMAL + "\ntitel = 'x'\n")
    assert err.line == 6
    assert str(err).endswith("news.toml:6: key 'titel' is not known (did you mean 'title'?)")


def test_unknown_key_in_a_table_names_its_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, MINIMAL + "[output]\ndir = 'x'\nrs = 'a.xml'\n")
    assert err.line == 7
    assert "key 'output.rs' is not known (did you mean 'rss'?)" in str(err)


def test_unknown_key_in_second_author_names_its_line(tmp_path: Path) -> None:
    text = MINIMAL + "[[authors]]\nname = 'A'\n[[authors]]\nname = 'B'\nmail = 'b@x.org'\n"
    err = error_of(tmp_path, text)
    assert err.line == 9
    assert "'authors.mail' is not known (did you mean 'email'?)" in str(err)


def test_wrong_type_names_key_and_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, MINIMAL + "limit = '20'\n")
    assert err.line == 5
    assert "key 'limit' must be an integer, not a string" in str(err)


def test_boolean_is_not_an_integer(tmp_path: Path) -> None:
    err = error_of(tmp_path, MINIMAL + "limit = true\n")
    assert "must be an integer, not a boolean" in str(err)


def test_sources_must_be_strings(tmp_path: Path) -> None:
    text = MINIMAL.replace('sources = ["articles/*.txt"]', "sources = ['a/*.txt', 3]")
    err = error_of(tmp_path, text)
    assert err.line == 4
    assert "array of strings" in str(err)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('formats = ["rss", "opml"]', "format 'opml' is not one of rss, atom, json"),
        ('content = "teaser"', "must be \"full\" or \"summary\""),
        ('timezone = "Mars/Olympus"', "is not a known time zone"),
        ('base_url = "/feeds/"', "must be an absolute http(s) URL"),
        # a host IDNA cannot encode (an ACE prefix before non-ASCII) has no URI form
        ('base_url = "https://xn--ü.example/feeds/"', "with a valid host name"),
        # the documents' urls are base_url + their names: after ? or # they name no document
        ('base_url = "https://news.example/feeds/?x=1"', "without a query or fragment"),
        ('base_url = "https://news.example/feeds/#top"', "without a query or fragment"),
        ('base_url = "https://news.example/feeds?"', "without a query or fragment"),
        ('language = "english please"', "language tag"),
        ("deleted_grace_days = -1", "0 or more"),
        ('[text]\ncredit_patterns = [{pattern = "Pic: (.+)", role = "photographer"}]',
         "named group"),
        ('[text]\ncredit_patterns = [{pattern = "(?P<name>.+)", role = "snapper"}]',
         "role 'snapper' is not one of"),
        ('[output]\nrss = "../escape.xml"', "plain file name"),
        ('[output]\nrss = "same.xml"\natom = "same.xml"', "same file name"),
        ('state = "mysql://db/news"', "must be a postgresql:// url or the path of a SQLite"),
        ('[output]\ndir = "file://files.example/srv/feeds"', "names a folder on this machine"),
        # an archived feed's pages of news.xml are news-archive-N.xml: no other output's name
        ('base_url = "https://n.example/f/"\narchive = true\nlimit = 5\n[output]\n'
         'rss = "news.xml"\natom = "news-archive-1.xml"', "the name of an archive page"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, line: str, message: str) -> None:
    err = error_of(tmp_path, MINIMAL + line + "\n")
    assert message in str(err)
    assert err.line is not None and err.line >= 5


def test_an_international_host_is_kept_in_its_ascii_form(tmp_path: Path) -> None:
    path = tmp_path / "news.toml"
    path.write_text(MINIMAL + 'base_url = "https://bücher.example/feeds/"\n', encoding="utf-8")
    assert load_feed_config(path).base_url == "https://xn--bcher-kva.example/feeds/"


def test_required_keys(tmp_path: Path) -> None:
    assert "key 'title' is required" in str(error_of(tmp_path, MINIMAL.replace("title", "#")))
    no_sources = MINIMAL.replace('sources = ["articles/*.txt"]', "")
    assert "key 'sources' is required" in str(error_of(tmp_path, no_sources))


def test_needs_an_authority_for_minted_ids(tmp_path: Path) -> None:
    text = MINIMAL.replace('tag_authority = "example.org,2026"', 'id = "https://example.org/f"')
    assert "needs 'tag_authority'" in str(error_of(tmp_path, text))


def test_toml_syntax_error_has_a_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, MINIMAL + "limit = = 3\n")
    assert err.line == 5
    assert "not valid TOML" in str(err)


def test_find_feed_configs(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "b")
    write(tmp_path, MINIMAL, "a")
    folder = tmp_path / "feeds"
    assert [p.name for p in find_feed_configs(folder)] == ["a.toml", "b.toml"]
    assert [p.name for p in find_feed_configs(folder, ["b"])] == ["b.toml"]
    with pytest.raises(ConfigError, match="no feed named 'c'"):
        find_feed_configs(folder, ["c"])


def test_credit_pattern_role_may_come_from_a_label_group(tmp_path: Path) -> None:
    ok = MINIMAL + "[text]\ncredit_patterns = [{pattern = '(?P<label>Pic): (?P<name>.+)'}]\n"
    assert load_feed_config(write(tmp_path, ok)).credit_patterns[0].role == ""
    bad = MINIMAL + "[text]\ncredit_patterns = [{pattern = 'Pic: (?P<name>.+)'}]\n"
    assert "needs a (?P<label>...) group" in str(error_of(tmp_path, bad))


def test_reader_options_carry_the_text_extras(tmp_path: Path) -> None:
    options = load_feed_config(write(tmp_path, FULL)).reader_options()
    assert options.timezone == "Pacific/Auckland"
    assert options.chrome == ("Share this story",)
    assert options.credit_patterns[0].role == "photographer"


def test_state_is_a_database_url_as_written_or_a_file_beside_the_config(tmp_path: Path) -> None:
    url = "postgresql://feeds:pw@db.internal/news"
    assert load_feed_config(write(tmp_path, MINIMAL + f'state = "{url}"\n')).state == url
    config = load_feed_config(write(tmp_path, MINIMAL + 'state = "../state/news.sqlite"\n'))
    assert config.state == str((tmp_path / "state" / "news.sqlite").resolve())
    assert load_feed_config(write(tmp_path, MINIMAL)).state is None
