"""urlnorm runs url_normalize's steps itself (to cache the host step); it must equal the library."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from url_normalize import url_normalize

from articles.urlnorm import _url_normalize_steps

PROPERTY = settings(max_examples=500, deadline=None, database=None)

HOSTS = ["Example.COM", "bücher.example", "XN--BCHER-KVA.example", "straße.de", "a..b.example",
         "www.example.com.", "[::0:1]", "[FE80::1%25eth0]", "127.0.0.1", "xn--a.example", "ab--c.example",
         "-edge.example", "ex_ample.example", "\u2488.com", "例え.テスト", "example\u3002com"]
PIECES = ["", "/", "a", "A", ".", "..", "%7e", "%2F", "%2f", "%e9", "café", " ", "~", "?", "&", "=", "#",
          "#!", "+", "%20", "@", ":", ";", "//", "utm_source=x", "a=1", "b", "%25", "\t", "ß"]


def _assert_same(url: str) -> None:
    try:
        expected = url_normalize(url)
    except Exception as exc:  # the library's own failure must stay the same failure
        with pytest.raises(type(exc)):
            _url_normalize_steps(url)
        return
    assert _url_normalize_steps(url) == expected


@pytest.mark.parametrize("url", [
    "HTTPS://Edition.CNN.example:443/2022/05/16/europe/index.html?utm_source=twitter&fbclid=x#comments",
    "http://user:secret@Example.com:80/a/./b/../c?b=2&&a=1#!/story/1",
    "https://example.com", "https://example.com?", "//example.com/a", "example.com/a", "example.com:8080",
    "localhost:8000/x", "mailto:someone@example.com", "ftp://Example.com:21/a", "https://:@example.com/",
    "https://@example.com/", "  \thttps://exa\nmple.com/a b", "https://[::0:1]:443/", "/relative/path", "-",
])
def test_examples_match_the_library(url):
    _assert_same(url)


@PROPERTY
@given(
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "", "//", "ftp://"]),
    userinfo=st.sampled_from(["", "user@", "user:pass@", "@", ":@", "us%65r@"]),
    host=st.sampled_from(HOSTS),
    port=st.sampled_from(["", ":80", ":443", ":0443", ":8080", ":x"]),
    path=st.lists(st.sampled_from(PIECES), max_size=6).map("/".join),
    query=st.lists(st.sampled_from(PIECES), max_size=5).map("&".join),
    fragment=st.sampled_from(["", "#", "#top", "#!/a/b", "#a%20b"]),
)
def test_composed_urls_match_the_library(scheme, userinfo, host, port, path, query, fragment):
    _assert_same(f"{scheme}{userinfo}{host}{port}/{path}?{query}{fragment}")


@PROPERTY
@given(st.text(alphabet=string.printable + "éß例\u3002\u2488", max_size=60))
def test_arbitrary_text_matches_the_library(text):
    _assert_same(text)
