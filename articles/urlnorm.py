"""The one URL normalisation used wherever a URL is stored or looked up.

Provenance records and takedown requests are matched on `url_key`, so every
equivalence decided here decides whether a takedown hits: widening it merges
distinct articles, narrowing it lets a claimant's spelling miss the record.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from functools import lru_cache
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

import idna
from url_normalize.generic_url_cleanup import generic_url_cleanup
from url_normalize.normalize_fragment import normalize_fragment
from url_normalize.normalize_host import normalize_host
from url_normalize.normalize_path import normalize_path
from url_normalize.normalize_port import normalize_port
from url_normalize.normalize_query import normalize_query
from url_normalize.normalize_scheme import normalize_scheme
from url_normalize.normalize_userinfo import normalize_userinfo
from url_normalize.provide_url_scheme import provide_url_scheme
from url_normalize.tools import cleanup_url_input, deconstruct_url, reconstruct_url
from w3lib.url import canonicalize_url

MAX_URL_LENGTH = 2048
# One import record asks for the same URL several times (validate, normalise, key, host).
CACHED_URLS = 4096
CACHED_HOSTS = 1024

ACCEPTED_SCHEMES = frozenset({"http", "https"})

# Only parameters that are tracking beyond doubt are dropped: ad-click identifiers, mail-campaign
# identifiers and analytics campaign fields, which never choose what a page shows. Names such as id,
# p, cid, uid, source, session, gallery or article can name the page itself on some site, so they are
# kept (courlan's broad pattern, once used here, dropped several of them and made distinct articles
# of such a site share one key).
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid",
        "ttclid", "li_fat_id", "epik", "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "ref_src", "ref_url",
        "xtor", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content",
        "mtm_campaign", "mtm_kwd", "mtm_source", "mtm_medium", "mtm_content", "mtm_cid", "mtm_group",
        "mtm_placement", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    }
)
# Whole families of campaign fields (Google Analytics' utm_*, the Guardian-style itm_*).
TRACKING_PREFIXES = ("utm_", "itm_")

ALIAS_LABELS = ("www", "m", "amp", "mobile")

# Underscores and edge hyphens are not legal in DNS host names but real sites
# are served under them, so only the character set and length are enforced.
_HOST_LABEL = re.compile(r"[a-z0-9_-]{1,63}")
# UTS 46 treats the ideographic and fullwidth full stops as label separators.
_IDNA_DOTS = re.compile("[.\u3002\uff0e\uff61]")


class InvalidUrl(ValueError):
    pass


def validate_url(raw: str) -> str:
    if _in_normal_form(raw) or _respelled_normal_form(raw):
        return raw
    return _validate(raw)[0]


def normalise_url(raw: str) -> str:
    if _in_normal_form(raw):
        return raw
    return _respelled_normal_form(raw) or _full_normalise(raw)


@lru_cache(maxsize=CACHED_URLS)
def _full_normalise(raw: str) -> str:
    # url_normalize runs first (host IDNA, default port, dot segments, escapes),
    # because w3lib given a unicode host encodes it with Python's IDNA 2003 codec
    # (straße -> strasse, a different registrable name from xn--strae-oqa), and
    # because w3lib drops the fragment before url_normalize could turn a #! one
    # into a query. w3lib then sorts the query and drops the fragment; its escaping
    # of reserved characters is the one the key ends up with.
    url = canonicalize_url(_validate(raw)[1], keep_blank_values=True)
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    # http and https are one resource here: a claimant who types http:// for
    # an https page must still hit the record, so every key is https.
    normalised = urlunsplit(("https", _https_netloc(parts), parts.path or "/", query, ""))
    # Escaping can lengthen a URL that passed validation; refusing it here keeps
    # every output acceptable as input, which idempotence depends on.
    if len(normalised) > MAX_URL_LENGTH:
        raise InvalidUrl("URL is too long")
    return normalised


# A URL already in normal form, which normalise_url would return unchanged: https, a lower-case
# ASCII host name of two or more labels (no port, no userinfo, no trailing dot), a path of
# non-empty segments of characters that neither library escapes or unescapes (no "%", no ";",
# which w3lib takes for path parameters), and either no query or name=value pairs of unreserved
# characters; no fragment, no surrounding whitespace. _in_normal_form adds what a regex says
# badly: no "--" in the host (punycode, IDNA hyphen rules), no dot segments, a query already
# sorted and free of tracking parameters, and the length limit.
# tests/articles/test_urlnorm_fast_path.py holds it equal to the full path.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PATH_CHAR = r"[A-Za-z0-9._~!$&'()*+,=:@-]"
_QUERY_PAIR = r"[A-Za-z0-9._~-]+=[A-Za-z0-9._~-]*"
_NORMAL_FORM = re.compile(
    rf"https://(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?"
    rf"/(?:{_PATH_CHAR}+/)*{_PATH_CHAR}*"
    rf"(?:\?{_QUERY_PAIR}(?:&{_QUERY_PAIR})*)?"
)
_QUERY_PAIR_RE = re.compile(_QUERY_PAIR)
_HOST_START = len("https://")
_MAX_HOST_LENGTH = 253


def _in_normal_form(url: str) -> bool:
    """Whether normalise_url(url) is url, decided without the libraries (the fast path)."""
    if len(url) > MAX_URL_LENGTH or not _NORMAL_FORM.fullmatch(url):
        return False
    base, _, query = url.partition("?")
    path_start = base.index("/", _HOST_START)
    host = base[_HOST_START:path_start]
    if "--" in host or len(host) > _MAX_HOST_LENGTH:
        return False
    if "/." in base and any(segment in (".", "..") for segment in base[path_start:].split("/")):
        return False
    if query:
        params = query.split("&")
        if any(_is_tracking(param) for param in params):
            return False
        if len(params) > 1:
            pairs = [tuple(param.split("=", 1)) for param in params]
            if pairs != sorted(pairs):
                return False
    return True


# A URL in normal form as claimants respell it: the scheme in any case or http, the host in any
# case, the default port (443, or 80 with http), tracking parameters of unreserved characters
# anywhere in the query, a fragment (not a "#!" one, which url_normalize turns into a query).
# Undone, these give a candidate that must pass _in_normal_form, or the full path decides.
# tests/articles/test_urlnorm_fast_path.py holds it equal to the full path too.
_FRAGMENT_CHAR = r"[A-Za-z0-9._~$&'()*+,;=:@/?!-]"
_RESPELLED = re.compile(
    r"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>443|80))?"
    r"(?P<path>/[^?#]*)(?:\?(?P<query>[^#]*))?"
    rf"(?:#(?!!){_FRAGMENT_CHAR}*)?"
)


def _respelled_normal_form(url: str) -> str | None:
    """normalise_url(url) when url is a common respelling of a URL in normal form, else None."""
    if len(url) > MAX_URL_LENGTH:
        return None
    match = _RESPELLED.fullmatch(url)
    if not match:
        return None
    scheme, host, port, path, query = match.group("scheme", "host", "port", "path", "query")
    if port == "80" and scheme.lower() != "http":
        return None
    kept = "&".join(param for param in query.split("&") if not _is_plain_tracker(param)) if query else ""
    candidate = f"https://{host.lower()}{path}" + (f"?{kept}" if kept else "")
    return candidate if _in_normal_form(candidate) else None


def _is_plain_tracker(param: str) -> bool:
    # Of unreserved characters only, so that neither library changes it before it is dropped.
    return bool(_QUERY_PAIR_RE.fullmatch(param)) and _is_tracking(param)


def url_key(raw: str) -> str:
    return hashlib.sha256(normalise_url(raw).encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    host = urlsplit(normalise_url(url)).hostname
    assert host  # normalise_url has rejected host-less URLs
    return host


def bare_host(host: str) -> str:
    """The host without one alias label (www., m., amp., mobile.), never down to a dotless name."""
    first, _, rest = host.partition(".")
    return rest if first in ALIAS_LABELS and "." in rest else host


def host_aliases(host: str) -> list[str]:
    host = _normalise_host(host)
    if _is_ip_address(host):
        return [host]
    bare = bare_host(host)
    if "." not in bare or (bare == host and host.partition(".")[0] in ALIAS_LABELS):
        # www.example: stripping would leave a dotless name, which is never a site.
        return [host]
    candidates = [host, bare, *(f"{label}.{bare}" for label in ALIAS_LABELS)]
    return list(dict.fromkeys(candidates))


@lru_cache(maxsize=CACHED_URLS)
def _validate(raw: str) -> tuple[str, str]:
    # Returns the stripped input and its url_normalize form: the host check needs
    # the latter and normalise_url reuses it rather than computing it twice.
    url = raw.strip()
    if not url:
        raise InvalidUrl("URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrl("URL is too long")
    parts = _split(url)
    if not parts.scheme:
        raise InvalidUrl("URL is relative; an absolute http or https URL is required")
    if parts.scheme.lower() not in ACCEPTED_SCHEMES:
        raise InvalidUrl("only http and https URLs are accepted")
    hostname = parts.hostname
    if not hostname:
        raise InvalidUrl("URL has no host")
    try:
        parts.port
    except ValueError:
        raise InvalidUrl("URL port is invalid") from None
    normalised = _url_normalize(url)
    _check_host(hostname, urlsplit(normalised).hostname or "")
    return url, normalised


def _split(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:
        # e.g. an unbalanced "[" or a netloc that NFKC-maps to a delimiter
        raise InvalidUrl("URL is malformed") from None


def _url_normalize(url: str) -> str:
    try:
        normalised = _url_normalize_steps(url)
    except UnicodeError:
        raise InvalidUrl("URL host is not a valid domain name") from None
    assert normalised  # non-empty input always yields a URL
    return normalised


def _url_normalize_steps(url: str) -> str:
    # url_normalize.url_normalize(url) with its default arguments, step by step, so that
    # the host step (IDNA, the costly one) runs once per distinct host; tests hold it
    # equal to the library's function.
    url = cleanup_url_input(url)
    if not url:
        return url
    url = generic_url_cleanup(provide_url_scheme(url))
    parts = deconstruct_url(url)
    parts = parts._replace(host=_cached_host(parts.host))
    parts = parts._replace(
        scheme=normalize_scheme(parts.scheme),
        userinfo=normalize_userinfo(parts.userinfo) if parts.userinfo else "",
        query=normalize_query(parts.query, host=parts.host),
        fragment=normalize_fragment(parts.fragment),
    )
    parts = parts._replace(port=normalize_port(parts.port, parts.scheme),
                           path=normalize_path(parts.path, parts.scheme))
    return reconstruct_url(parts)


_cached_host = lru_cache(maxsize=CACHED_HOSTS)(normalize_host)


@lru_cache(maxsize=CACHED_HOSTS)
def _check_host(raw_host: str, host: str) -> None:
    if any(ch.isspace() or not ch.isprintable() for ch in raw_host):
        raise InvalidUrl("URL host contains whitespace or control characters")
    if _is_ip_address(raw_host):
        return
    raw_labels = _IDNA_DOTS.split(_IDNA_DOTS.sub(".", raw_host).removesuffix("."))
    labels = host.split(".")
    # url_normalize silently drops empty labels (a..b.com -> a.b.com) and lets
    # compatibility mapping invent dots (⒈.com -> 1..com); both change the host.
    if len(labels) != len(raw_labels) or "" in raw_labels:
        raise InvalidUrl("URL host is not a valid domain name")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise InvalidUrl("URL host is not a valid domain name")
    if not all(_is_a_label(label) for label in labels if label.startswith("xn--")):
        raise InvalidUrl("URL host is not a valid domain name")


def _is_a_label(label: str) -> bool:
    # Mirror url_normalize's policy: IDNA 2008 first, IDNA 2003 as the fallback
    # that still admits the emoji domains registries sold before 2008.
    try:
        idna.decode(label)
        return True
    except idna.IDNAError:
        pass
    try:
        label.encode("ascii").decode("idna")
        return True
    except UnicodeError:
        return False


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_tracking(param: str) -> bool:
    name = unquote_plus(param.partition("=")[0]).lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMS


def _https_netloc(parts: SplitResult) -> str:
    # Userinfo never identifies the resource and must not end up in stored keys.
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    # url_normalize dropped the original scheme's default port; once the scheme
    # is https, 443 is the default too.
    port = parts.port
    if port is None or port == 443:
        return host
    return f"{host}:{port}"


def _normalise_host(host: str) -> str:
    host = host.strip()
    if _is_ip_address(host):
        return ipaddress.ip_address(host).compressed
    if any(ch in host for ch in "/?#@:[]\\"):
        raise InvalidUrl("host contains URL delimiters")
    return host_of(f"https://{host}/")
