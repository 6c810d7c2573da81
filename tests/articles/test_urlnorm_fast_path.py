"""The fast paths of `normalise_url` are the full path, not an approximation.

`normalise_url` returns a URL that passes `_in_normal_form` unchanged, and undoes the common
respellings of such a URL (scheme, host case, default port, tracking parameters, fragment)
without calling the libraries; `_full_normalise` is the path every other URL takes. Each property
below compares the two on URLs inside the fast-path shapes and just outside them (one thing
changed), outcome for outcome: the same URL, or the same `InvalidUrl` message.
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
    _respelled_normal_form,
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
    "https://example.com/a?xtor=RSS-1",  # a tracker of the list
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


# --- respellings of a URL in normal form ----------------------------------------------------

SCHEME_SPELLING = st.sampled_from(["https", "http", "HTTPS", "HTTP", "Https", "hTtP"])
PORT_SPELLING = st.sampled_from(["", ":443", ":80", ":0443", ":080", ":8080", ":", ":443:80"])
FRAGMENT_SPELLING = st.sampled_from(["", "#", "#top", "#comments", "#!/story/1", "#!", "#a=b&c", "#/x?y=1",
                                     "#%20", "#é", "# x", "#a#b", "#~$'()*+,;:@-."])
# Parameters that must not be dropped on the fast path: odd characters, no "=", names that only
# look like trackers.
ODD_PARAM = st.sampled_from(["utm_source=a%20b", "utm_source=a+b", "utm_source", "utm_source=é", "fbclid=a/b",
                             "Utm_Medium=x", "utm%5Fsource=x", "xutm_source=1", "=", "", "a=b;c", "z=1"])


def respell(url: str, draw) -> str:
    """`url` (in normal form) with some of the respellings the fast path undoes, in any combination."""
    rest = url[len("https://"):]
    host, slash, path = rest.partition("/")
    host = "".join(c.upper() if draw(st.booleans()) else c for c in host) if draw(st.booleans()) else host
    base, _, query = ("/" + path).partition("?")
    params = query.split("&") if query else []
    for _ in range(draw(st.integers(0, 3))):
        params.insert(draw(st.integers(0, len(params))), f"{draw(TRACKER)}={draw(VALUE)}")
    query = "&".join(params)
    return (f"{draw(SCHEME_SPELLING)}://{host}{draw(PORT_SPELLING)}{base}" + (f"?{query}" if params else "")
            + draw(FRAGMENT_SPELLING))


@st.composite
def respelled(draw) -> str:
    return respell(draw(st.one_of(IN_SHAPE, FROM_REGEX)), draw)


@st.composite
def respelled_and_one_step_outside(draw) -> str:
    url = respell(draw(IN_SHAPE), draw)
    base, mark, fragment = url.partition("#")
    change = draw(st.sampled_from(["param", "path", "host", "whitespace", "userinfo", "length"]))
    if change == "param":
        glue = "&" if "?" in base else "?"
        return base + glue + draw(ODD_PARAM) + mark + fragment
    if change == "path":
        return insert_in_path(base, draw(st.integers(0, 10_000)), draw(st.sampled_from(
            ["%7E", "%41", "./", "../", "/", ";", "é", " ", "|", "%"]))) + mark + fragment
    if change == "host":
        start = base.index("://") + 3
        host_end = base.find("/", start)
        return base[:start] + draw(HOST_SPELLING) + base[host_end:] + mark + fragment
    if change == "whitespace":
        return draw(st.sampled_from([" ", "\t", "\n"])) + url + draw(st.sampled_from(["", " ", "\r\n"]))
    if change == "userinfo":
        start = base.index("://") + 3
        return base[:start] + "user@" + base[start:] + mark + fragment
    return url + "#" + "a" * (MAX_URL_LENGTH - len(url) + draw(st.integers(-2, 2)))


@PROPERTY
@given(respelled())
def test_respelled_urls_normalise_as_the_full_path_does(url):
    assert_same(url)


@PROPERTY
@given(respelled_and_one_step_outside())
def test_respelled_urls_just_outside_the_shape_normalise_as_the_full_path_does(url):
    assert_same(url)


@PROPERTY
@given(st.builds(compose, HOST.filter(lambda host: "--" not in host), PATH, st.just("")), SCHEME_SPELLING,
       st.sampled_from(["", ":443"]), st.sampled_from(["", "?utm_source=rss", "?fbclid=IwAR0abc&gclid=x"]),
       st.sampled_from(["", "#", "#comments"]))
def test_the_respelling_path_is_taken_for_common_respellings(url, scheme, port, trackers, fragment):
    # Otherwise the properties above would compare the full path with itself.
    if any(segment in (".", "..") for segment in url.split("/")[3:]):
        return
    host_end = url.index("/", len("https://"))
    spelled = f"{scheme}://{url[len('https://'):host_end].upper()}{port}{url[host_end:]}{trackers}{fragment}"
    assert _respelled_normal_form(spelled) == url == _full_normalise(spelled)


@pytest.mark.parametrize("url, normal", [
    ("HTTPS://Edition.CNN.example:443/2022/05/16/europe/kharkiv-counteroffensive/index.html"
     "?utm_source=twitter&fbclid=IwAR0abc#comments",
     "https://edition.cnn.example/2022/05/16/europe/kharkiv-counteroffensive/index.html"),
    ("http://example.com/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("http://example.com:443/a", "https://example.com/a"),
    ("https://EXAMPLE.com/a/", "https://example.com/a/"),
    ("https://example.com/a?utm_source=rss&utm_medium=email", "https://example.com/a"),
    ("https://example.com/a?id=1&utm_source=rss&page=2", "https://example.com/a?id=1&page=2"),
    ("https://example.com/a?utm_source=rss&id=1#top", "https://example.com/a?id=1"),
    ("https://example.com/a#", "https://example.com/a"),
    ("https://example.com/a?", "https://example.com/a"),
])
def test_common_respellings_take_the_respelling_path(url, normal):
    assert _respelled_normal_form(url) == normal == _full_normalise(url)
    assert normalise_url(url) == normal and validate_url(url) == url


@pytest.mark.parametrize("url", [
    "https://example.com:80/a",  # 80 is not https's default port
    "https://example.com:0443/a",
    "https://example.com/a#!/story/1",  # url_normalize turns it into a query
    "https://example.com/a?page=2&id=1#x",  # the query is sorted
    "https://example.com/a?utm_source=a%20b",
    "https://example.com/a?utm_source",
    "https://XN--bcher-kva.example/",
    "https://Example.com./a",
    "https://user@Example.com/a",
    " http://example.com/a",
    "ftp://example.com/a",
    "https://example.com/a?utm_source=rss&&id=1",
])
def test_other_spellings_take_the_full_path(url):
    assert _respelled_normal_form(url) is None
    assert_same(url)


def test_the_respelling_path_calls_no_library(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a library was called on the respelling path")

    monkeypatch.setattr(urlnorm, "canonicalize_url", refuse)
    monkeypatch.setattr(urlnorm, "_url_normalize_steps", refuse)
    url = "HTTP://Never-Seen-Before.example:80/2026/11/25/respelled.html?utm_source=rss&id=7#top"
    assert normalise_url(url) == "https://never-seen-before.example/2026/11/25/respelled.html?id=7"
    assert validate_url(url) == url
    with pytest.raises(AssertionError, match="library"):
        normalise_url("HTTP://Never-Seen-Before.example:80/A/./b")
