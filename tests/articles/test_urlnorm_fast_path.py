"""The fast path of `normalise_url` (URLs already in normal form) is the full path, not an approximation.

`normalise_url` returns a URL that passes `_in_normal_form` unchanged, without calling the
libraries; `_full_normalise` is the path every other URL takes. Each property below compares the
two on URLs inside the fast-path shape and just outside it (one thing changed), outcome for
outcome: the same URL, or the same `InvalidUrl` message.
"""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import articles.urlnorm as urlnorm
from articles.urlnorm import (
    MAX_URL_LENGTH,
    TRACKING_PARAMS,
    InvalidUrl,
    _full_normalise,
    _in_normal_form,
    _NORMAL_FORM,
    _validate,
    normalise_url,
    validate_url,
)

PROPERTY = settings(max_examples=500, deadline=None, database=None)

UNRESERVED = string.ascii_letters + string.digits + "-._~"
PATH_CHARS = UNRESERVED + "!$&'()*+,=:@"
CONTENT_KEYS = ["id", "page", "q", "s", "article", "section", "p", "lang", "year", "a", "b", "Z", "_x", "id2"]


def outcome(function, url: str) -> tuple[str, str]:
    try:
        return "ok", function(url)
    except InvalidUrl as exc:
        return "invalid", str(exc)


def assert_same(url: str) -> None:
    assert outcome(normalise_url, url) == outcome(_full_normalise, url), url
    assert outcome(validate_url, url) == outcome(lambda u: _validate(u)[0], url), url


# --- strategies: inside the shape ---------------------------------------------------------

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
TLD = st.sampled_from(["com", "org", "example", "uk", "news", "de", "io", "c0m", "x-y"])
HOST = st.builds(lambda labels, tld: ".".join([*labels, tld]), st.lists(LABEL, min_size=1, max_size=3), TLD)
SEGMENT = st.text(PATH_CHARS, min_size=1, max_size=10)
PATH = st.builds(
    lambda segments, trailing: "/" + "/".join(segments) + ("/" if trailing and segments else ""),
    st.lists(SEGMENT, max_size=5), st.booleans(),
)
KEY = st.one_of(st.sampled_from(CONTENT_KEYS), st.text(UNRESERVED, min_size=1, max_size=6))
VALUE = st.text(UNRESERVED, max_size=8)
QUERY = st.lists(st.tuples(KEY, VALUE), max_size=4).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in sorted(pairs)))


def compose(host: str, path: str, query: str) -> str:
    return f"https://{host}{path}" + (f"?{query}" if query else "")


IN_SHAPE = st.builds(compose, HOST, PATH, QUERY)
# Every string the regex admits, not only the ones that look like real URLs.
FROM_REGEX = st.from_regex(_NORMAL_FORM, fullmatch=True)


# --- strategies: one step outside ---------------------------------------------------------


def upper_host(url: str, n: int) -> str:
    start = len("https://")
    at = start + n % max(1, url.find("/", start) - start)
    return url[:at] + url[at].upper() + url[at + 1:]


def insert_in_path(url: str, n: int, text: str) -> str:
    start = url.find("/", len("https://"))
    end = url.find("?") if "?" in url else len(url)
    at = start + n % (end - start) + 1 if end > start else end
    return url[:at] + text + url[at:]


def with_host(url: str, host: str) -> str:
    start = len("https://")
    return url[:start] + host + url[url.find("/", start):]


TRACKER = st.one_of(st.sampled_from(sorted(TRACKING_PARAMS)),
                    st.sampled_from(["utm_source", "UTM_Medium", "utm_", "itm_campaign", "xtor", "source", "cid",
                                     "ref", "session_id", "gclid", "Fbclid"]))
ESCAPE = st.sampled_from(["%7E", "%7e", "%41", "%2F", "%2f", "%e9", "%C3%A9", "%25", "%20", "%2E", "%2e%2E", "%"])
DOT = st.sampled_from([".", "..", "./", "../", "./x/..", "x/../"])
HOST_SPELLING = st.sampled_from([
    "Example.com", "EXAMPLE.COM", "bücher.example", "xn--bcher-kva.example", "xn--zz.example", "ab--c.example",
    "straße.de", "例え.テスト", "example.com.", "a..b.example", "-edge.example", "edge-.example", "ex_ample.com",
    "127.0.0.1", "[::1]", "[::0:1]", "1.2.3.4", "localhost", "example", "123.example.7", "a" * 63 + ".example",
    "a" * 64 + ".example", ".".join(["a" * 60] * 5) + ".com", "example\u3002com", "\u2488.com", "exa mple.com",
])


@st.composite
def just_outside(draw) -> str:
    url = draw(IN_SHAPE)
    n = draw(st.integers(0, 10_000))
    change = draw(st.sampled_from([
        "host-case", "port", "userinfo", "dot-segment", "escape", "tracker", "fragment", "host", "trailing-?",
        "empty-param", "unsorted", "bare-key", "empty-segment", "semicolon", "scheme", "whitespace", "unicode-path",
        "odd-char", "long", "no-path", "query-char", "key-value-char", "label-length", "host-length",
    ]))
    if change == "label-length":
        return with_host(url, "a" * draw(st.integers(62, 64)) + "." + url[8:url.find("/", 8)])
    if change == "host-length":
        return with_host(url, ".".join(["b" * 62] * 4) + draw(st.sampled_from([".c", ".cc", ".com", ".comm"])))
    if change == "host-case":
        return upper_host(url, n)
    if change == "port":
        port = draw(st.sampled_from([":443", ":80", ":8080", ":0443", ":", ":x", ":99999"]))
        return with_host(url, url[8:url.find("/", 8)] + port)
    if change == "userinfo":
        return url[:8] + draw(st.sampled_from(["user@", "user:pass@", "@", ":@"])) + url[8:]
    if change == "dot-segment":
        return insert_in_path(url, n, draw(DOT) + "/")
    if change == "escape":
        return insert_in_path(url, n, draw(ESCAPE))
    if change == "tracker":
        pair = f"{draw(TRACKER)}={draw(VALUE)}"
        return url + ("&" if "?" in url else "?") + pair
    if change == "fragment":
        return url + draw(st.sampled_from(["#", "#top", "#!/story/1", "#a=b&c", "#%20"]))
    if change == "host":
        return with_host(url, draw(HOST_SPELLING))
    if change == "trailing-?":
        return url + ("&" if "?" in url else "?")
    if change == "empty-param":
        return url + draw(st.sampled_from(["&&a=1", "?&a=1", "&=", "?=x", "&"])) if "?" in url else url + "?&a=1"
    if change == "unsorted":
        return url + ("&" if "?" in url else "?z=1&") + "a=2"
    if change == "bare-key":
        return url + ("&" if "?" in url else "?") + draw(KEY)
    if change == "empty-segment":
        return insert_in_path(url, n, "/")
    if change == "semicolon":
        return insert_in_path(url, n, draw(st.sampled_from([";", ";p=1", "x;"])))
    if change == "scheme":
        return draw(st.sampled_from(["http", "HTTPS", "Https", "ftp"])) + url[len("https"):]
    if change == "whitespace":
        return draw(st.sampled_from([" ", "\t", "\n", ""])) + url + draw(st.sampled_from([" ", "\n", "\r\n"]))
    if change == "unicode-path":
        return insert_in_path(url, n, draw(st.sampled_from(["é", "ß", "例", "\u00a0", "ﬁ", "e\u0301"])))
    if change == "odd-char":
        return insert_in_path(url, n, draw(st.sampled_from(list(" \"<>\\^`{|}[]%#?") + ["\x00", "\x7f"])))
    if change == "long":
        base = url.partition("?")[0].rstrip("/")
        return base + "/" + "a" * (MAX_URL_LENGTH - len(base) - 1 + draw(st.integers(-2, 2)))
    if change == "no-path":
        return url[:url.find("/", 8)] + draw(st.sampled_from(["", "?a=1", "?", "#x"]))
    if change == "query-char":
        return url + ("&" if "?" in url else "?") + "k=" + draw(st.sampled_from(list("!$'()*+,;:@/?=%") + ["é"]))
    # "key-value-char": a character that is safe in the path but not in a query
    return url + ("&" if "?" in url else "?") + draw(st.sampled_from(list("!$'()*+,:@"))) + "k=v"


# --- properties ---------------------------------------------------------------------------


@PROPERTY
@given(IN_SHAPE)
def test_urls_in_the_shape_normalise_as_the_full_path_does(url):
    assert_same(url)


@PROPERTY
@given(FROM_REGEX)
def test_every_url_the_regex_admits_normalises_as_the_full_path_does(url):
    assert_same(url)


@PROPERTY
@given(just_outside())
def test_urls_just_outside_the_shape_normalise_as_the_full_path_does(url):
    assert_same(url)


@PROPERTY
@given(st.builds(compose, HOST.filter(lambda host: "--" not in host), PATH, st.lists(st.tuples(st.sampled_from(CONTENT_KEYS), VALUE), max_size=4).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in sorted(pairs)))))
def test_the_fast_path_is_taken_for_urls_in_normal_form(url):
    # Otherwise the properties above would compare the full path with itself.
    if any(segment in (".", "..") for segment in url.partition("?")[0].split("/")[3:]):
        return
    assert _in_normal_form(url), url
    assert _full_normalise(url) == url


# --- examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://kyivindependent.example/2022/05/01/kharkiv-0.html",
    "https://cdn.worldtimetodays.example/img/2022/05/photo-1.jpg",
    "https://example.com/",
    "https://example.com/a/",
    "https://example.com/wiki/Kharkiv_(city)",
    "https://medium.example/@user/a-post-1f2e",
    "https://example.com/search?lang=en&page=2&q=kharkiv",
    "https://example.com/a?id=",
    "https://example.com/.well-known/x",
])
def test_urls_in_normal_form_take_the_fast_path(url):
    assert _in_normal_form(url)
    assert normalise_url(url) == url == _full_normalise(url)


@pytest.mark.parametrize("url", [
    "https://example.com",  # the path becomes "/"
    "https://example.com/?",  # an empty query is dropped
    "https://example.com/a?utm_source=rss",  # a tracker is dropped
    "https://example.com/a?source=x",  # courlan's pattern
    "https://example.com/a?b=1&a=2",  # the query is sorted
    "https://example.com/a?a",  # "a" becomes "a="
    "https://example.com/a#x",  # the fragment is dropped
    "https://Example.com/a",
    "https://example.com:443/a",
    "https://example.com:8443/a",
    "https://user@example.com/a",
    "http://example.com/a",
    "https://example.com/a/./b",
    "https://example.com/a/..",
    "https://example.com/a//b",
    "https://example.com/%7Euser",
    "https://example.com/a;p",
    "https://xn--bcher-kva.example/",
    "https://bücher.example/",
    "https://127.0.0.1/",
    "https://localhost/",
    "https://example.com./",
    " https://example.com/a",
    "https://example.com/" + "a" * MAX_URL_LENGTH,
    "https://" + "a" * 64 + ".example/",  # a label longer than DNS allows
    "https://" + ".".join(["b" * 62] * 4) + ".com/",  # a host longer than DNS allows
])
def test_urls_not_in_normal_form_take_the_full_path(url):
    assert not _in_normal_form(url)
    assert_same(url)


ODD_CHARACTERS = sorted(set(string.printable) - set(string.ascii_letters + string.digits)) + [
    "é", "ß", "例", "\u00a0", "\u3002", "\uff0e", "\u2488", "\x00", "\x7f", "\u200b", "ﬁ"]


@pytest.mark.parametrize("char", ODD_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in ODD_CHARACTERS])
@pytest.mark.parametrize("template", [
    "https://exa{}mple.com/a", "https://example.com/a{}b", "https://example.com/{}", "https://example.com/a/{}",
    "https://example.com/a?k{}=v", "https://example.com/a?k=v{}", "https://example.com/a?a=1&{}",
])
def test_each_character_in_each_place_normalises_as_the_full_path_does(template, char):
    assert_same(template.format(char))


def test_the_fast_path_calls_no_library(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a library was called on the fast path")

    monkeypatch.setattr(urlnorm, "canonicalize_url", refuse)
    monkeypatch.setattr(urlnorm, "_url_normalize_steps", refuse)
    url = "https://never-seen-before.example/2026/11/25/fast-path.html?id=7"
    assert normalise_url(url) == url
    assert validate_url(url) == url
    assert urlnorm.host_of(url) == "never-seen-before.example"
    with pytest.raises(AssertionError, match="library"):
        normalise_url("https://never-seen-before.example/A/./b")
