import base64
import hashlib
import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.parsing.mail_parse import ParsedMail, parse_mail
from tests.fixtures import CORPUS


def corpus_mail(prefix: str) -> ParsedMail:
    (path,) = CORPUS.glob(f"{prefix}-*.eml")
    return parse_mail(path.read_bytes())


def mail(headers: str, body: bytes | str = b"hello\n") -> bytes:
    body = body.encode() if isinstance(body, str) else body
    return headers.strip().replace("\n", "\r\n").encode() + b"\r\n\r\n" + body


# --- the corpus ------------------------------------------------------------------------------


def test_plain_notice_gives_ids_addresses_and_a_utc_date():
    parsed = corpus_mail("01")

    assert parsed.message_id == "dmca-001@kyivindependent.example"
    assert (parsed.from_name, parsed.from_address) == ("Marta Hnatiuk", "legal@kyivindependent.example")
    assert parsed.to_addresses == ("takedown@worldtimetodays.example",)
    assert parsed.date == datetime(2022, 5, 16, 10, 15, tzinfo=UTC)
    assert parsed.kind == "message" and parsed.defects == () and parsed.attachments == ()


def test_plain_notice_lists_our_three_urls_then_the_original():
    assert corpus_mail("01").urls == (
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
        "https://worldtimetodays.example/articles/kharkiv-bus-service-restored/",
        "https://worldtimetodays.example/articles/zhadan-city-restoring-peace/",
        "https://www.kyivindependent.example/news/kharkiv-border-2022-05-16/",
    )


def test_html_only_notice_gives_hrefs_and_readable_text():
    parsed = corpus_mail("02")

    assert parsed.html_hrefs == (
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
        "https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg",
    )
    assert parsed.urls == parsed.html_hrefs
    assert "<" not in parsed.text
    assert "The photograph credited Photo by John Moore/Getty Images appears at your article" in parsed.text
    assert parsed.text.startswith("To whom it may concern,\n\nThe photograph")


def test_encoded_word_subject_and_quoted_printable_body_keep_umlauts():
    parsed = corpus_mail("03")

    assert parsed.subject == "Urheberrechtsverletzung – Übersetzung"
    assert "maschinelle Übersetzung unseres Berichts — bitte entfernen" in parsed.text
    assert "Dr. Jürgen Weiß, Justiziariat" in parsed.text
    assert parsed.date == datetime(2022, 5, 18, 5, 30, tzinfo=UTC)


def test_url_split_by_a_quoted_printable_soft_break_comes_out_whole():
    assert corpus_mail("03").urls == (
        "https://worldtimetodays.example/articles/kharkiv-regional-administration-tsyrkuny/",
        "https://www.spiegel.example/ausland/charkiw-a-123.html",
    )


def test_multipart_alternative_uses_the_plain_part_once():
    text = corpus_mail("03").text

    assert text.count("Guten Tag") == 1
    assert "<br>" not in text and text.startswith("Guten Tag,\n\nIhr Artikel")


def test_windows_1251_subject_body_and_sender_name_are_decoded():
    parsed = corpus_mail("04")

    assert parsed.subject == "Вимога видалити матеріал"
    assert "Ваша сторінка" in parsed.text and "повністю копіює наш текст" in parsed.text
    assert (parsed.from_name, parsed.from_address) == ("Редакція", "redakcia@kharkiv-news.example")
    assert parsed.defects == ()


def test_koi8r_subject_and_body_are_decoded():
    parsed = corpus_mail("05")

    assert parsed.subject == "Требование об удалении"
    assert "скопирована с нашего сайта без разрешения" in parsed.text
    assert parsed.from_name == "Юридический отдел"


def test_pdf_attachment_is_recorded_with_size_and_sha256():
    raw = next(CORPUS.glob("06-*.eml")).read_text()
    pdf = base64.b64decode(re.search(r'filename="notice.pdf"\n\n(.*?)\n\n', raw, re.S).group(1))

    (attachment,) = corpus_mail("06").attachments

    assert (attachment.filename, attachment.content_type) == ("notice.pdf", "application/pdf")
    assert (attachment.size, attachment.sha256) == (len(pdf), hashlib.sha256(pdf).hexdigest())
    assert attachment.content == pdf and pdf.startswith(b"%PDF-")


def test_reply_threads_by_in_reply_to_and_by_subject_tag():
    parsed = corpus_mail("07")

    assert parsed.references_tag == "TD-2026-7F3KQ9"
    assert parsed.in_reply_to == ("ack-TD-2026-7F3KQ9@worldtimetodays.example",)


def test_quoted_reply_line_contributes_no_url():
    parsed = corpus_mail("07")

    assert "> We received your notice TD-2026-7F3KQ9." in parsed.text
    assert parsed.urls == ("https://worldtimetodays.example/articles/kharkiv-border-post-video/",)


def test_auto_submitted_mail_is_an_auto_reply():
    assert corpus_mail("08").kind == "auto_reply"


def test_forwarded_complaint_keeps_its_urls():
    assert corpus_mail("09").urls == ("https://worldtimetodays.example/articles/zhadan-city-restoring-peace/",)


def test_primary_source_url_comes_out_raw_with_case_port_tracking_and_fragment():
    assert corpus_mail("10").urls == (
        "HTTPS://Edition.CNN.example:443/2022/05/16/europe/kharkiv-counteroffensive/index.html"
        "?utm_source=twitter&fbclid=IwAR0abc#comments",
    )


def test_whole_corpus_parses_without_defects():
    for path in sorted(CORPUS.glob("*.eml")):
        assert parse_mail(path.read_bytes()).defects == (), path.name


# --- headers, threading and dedupe -----------------------------------------------------------


def test_in_reply_to_then_references_deduplicated_in_order():
    raw = mail("In-Reply-To: <b@x.example>\nReferences: <a@x.example>\n <b@x.example> <c@x.example>")

    assert parse_mail(raw).in_reply_to == ("b@x.example", "a@x.example", "c@x.example")


def test_missing_headers_give_empty_values_not_errors():
    parsed = parse_mail(mail("X-Nothing: here"))

    assert (parsed.message_id, parsed.subject, parsed.from_address, parsed.date) == ("", "", "", None)
    assert parsed.references_tag == "" and parsed.in_reply_to == ()


def test_unparseable_date_is_none_and_naive_date_is_read_as_utc():
    assert parse_mail(mail("Date: the day after tomorrow")).date is None
    assert parse_mail(mail("Date: Mon, 16 May 2022 10:15:00 -0000")).date == datetime(2022, 5, 16, 10, 15, tzinfo=UTC)


def test_reply_to_and_all_to_addresses_are_lower_cased():
    parsed = parse_mail(mail("Reply-To: Desk <Desk@Pictura.Example>\nTo: A <A@x.example>, b@Y.example\nTo: junk"))

    assert parsed.reply_to == "desk@pictura.example"
    assert parsed.to_addresses == ("a@x.example", "b@y.example")


def test_body_hash_ignores_rewrapping_so_a_forged_message_id_cannot_hide_a_resend():
    first = parse_mail(mail("Message-ID: <one@x.example>", "Remove https://a.example/1\nplease.\n"))
    second = parse_mail(mail("Message-ID: <two@x.example>", "Remove  https://a.example/1 please.\r\n\r\n"))

    assert first.message_id != second.message_id
    assert first.body_sha256 == second.body_sha256


def test_url_trailing_punctuation_and_angle_brackets_are_stripped():
    text = (
        "See <https://a.example/x>, (https://b.example/y). "
        'Also https://c.example/wiki/Foo_(bar); "https://d.example/"\n'
    )

    assert parse_mail(mail("Subject: x", text)).urls == (
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example/wiki/Foo_(bar)",
        "https://d.example/",
    )


def test_url_in_a_quoted_line_counts_when_also_written_outside_the_quote():
    text = "> https://a.example/quoted-only\n> https://a.example/both\nhttps://a.example/both\n"

    assert parse_mail(mail("Subject: x", text)).urls == ("https://a.example/both",)


# --- HTML ------------------------------------------------------------------------------------


def test_html_hrefs_are_entity_decoded_absolute_and_deduplicated():
    html = (
        '<p><a href="https://a.example/?x=1&amp;y=2">a</a> <a href="/relative">r</a> <a href="mailto:x@y">m</a>'
        '<a href="https://a.example/?x=1&amp;y=2">again</a> <a href="http://b.example/">b</a></p>'
    )
    parsed = parse_mail(mail("Content-Type: text/html; charset=utf-8", html))

    assert parsed.html_hrefs == ("https://a.example/?x=1&y=2", "http://b.example/")


def test_html_text_drops_scripts_and_puts_blocks_on_their_own_lines():
    html = "<html><head><title>T</title><style>p{}</style></head><body><h1>Notice</h1><div>A&nbsp;&amp;&nbsp;B</div>"
    html += "<script>evil()</script><ul><li>one</li><li>two</li></ul>line<br>break</body></html>"

    text = parse_mail(mail("Content-Type: text/html", html)).text

    assert text == "Notice\n\nA & B\n\none\n\ntwo\n\nline\nbreak"


def test_html_blockquote_is_treated_as_a_quoted_reply():
    html = (
        '<p>New: <a href="https://a.example/new">x</a></p><blockquote type="cite">'
        'Old <a href="https://ours.example/ack">ack</a> https://ours.example/status</blockquote>'
    )
    parsed = parse_mail(mail("Content-Type: text/html", html))

    assert parsed.urls == ("https://a.example/new",)
    assert "> Old ack https://ours.example/status" in parsed.text


def test_hrefs_are_collected_from_html_even_when_plain_text_is_preferred():
    raw = mail(
        'Content-Type: multipart/alternative; boundary="b"',
        '--b\nContent-Type: text/plain\n\nsee the link\n--b\nContent-Type: text/html\n\n'
        '<a href="https://a.example/only-in-html">the link</a>\n--b--\n',
    )
    parsed = parse_mail(raw)

    assert parsed.text == "see the link"
    assert parsed.urls == ("https://a.example/only-in-html",)


# --- attachments and nested messages ---------------------------------------------------------


def test_oversize_attachment_keeps_size_and_hash_but_drops_content():
    payload = b"x" * 5000
    raw = mail(
        'Content-Type: multipart/mixed; boundary="b"',
        b"--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: application/octet-stream\n"
        b"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=big.bin\n\n"
        + base64.encodebytes(payload) + b"--b--\n",
    )

    parsed = parse_mail(raw, max_attachment_bytes=1000)

    (attachment,) = parsed.attachments
    assert (attachment.filename, attachment.size, attachment.content) == ("big.bin", 5000, None)
    assert attachment.sha256 == hashlib.sha256(payload).hexdigest()
    assert any("over the 1000-byte limit" in d for d in parsed.defects)
    assert parsed.text == "see attached"


def test_attachment_filenames_are_decoded_and_lose_their_path():
    raw = mail(
        'Content-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: application/pdf\n"
        "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2F%C3%9Cbersicht.pdf\n\nA\n"
        '--b\nContent-Type: image/png; name="=?utf-8?q?C:\\\\tmp\\\\=C3=A9t=C3=A9.png?="\n\nB\n'
        '--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=".."\n\nC\n--b--\n',
    )

    assert [a.filename for a in parse_mail(raw).attachments] == ["Übersicht.pdf", "été.png", ""]


def test_raw_8bit_utf8_filename_is_not_turned_into_replacement_characters():
    raw = mail('Content-Type: multipart/mixed; boundary="b"') + (
        '--b\r\nContent-Type: application/pdf\r\n'
        'Content-Disposition: attachment; filename="Повідомлення.pdf"\r\n\r\nA\r\n--b--\r\n'
    ).encode()

    assert parse_mail(raw).attachments[0].filename == "Повідомлення.pdf"


def test_text_of_an_attached_message_is_read_as_part_of_the_body():
    raw = mail(
        'Content-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nForwarding our client's notice.\n--b\nContent-Type: message/rfc822\n\n"
        "From: desk@pictura.example\nSubject: photo\nContent-Type: text/plain\n\n"
        "The photo at https://a.example/p is ours.\n--b--\n",
    )
    parsed = parse_mail(raw)

    assert "Forwarding our client's notice." in parsed.text and "The photo at" in parsed.text
    assert parsed.urls == ("https://a.example/p",) and parsed.attachments == ()


# --- kinds -----------------------------------------------------------------------------------


def test_multipart_report_delivery_status_is_a_bounce():
    raw = mail(
        'From: Mail Delivery System <MAILER-DAEMON@mx.example>\nAuto-Submitted: auto-replied\n'
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        "--r\nContent-Type: text/plain\n\nDelivery failed.\n--r\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\n"
        "--r\nContent-Type: message/rfc822\n\nSubject: [TD-2026-7F3KQ9] We received your notice\n\nack\n--r--\n",
    )

    parsed = parse_mail(raw)

    assert parsed.kind == "bounce"
    assert parsed.attachments == ()  # the DSN's header blocks are machinery, not files


def test_mailer_daemon_with_a_delivery_status_part_is_a_bounce():
    raw = mail(
        'From: postmaster@mx.example\nContent-Type: multipart/mixed; boundary="r"',
        "--r\nContent-Type: text/plain\n\nfailed\n"
        "--r\nContent-Type: message/delivery-status\n\nAction: failed\n--r--\n",
    )

    assert parse_mail(raw).kind == "bounce"


def test_null_return_path_is_a_bounce():
    assert parse_mail(mail("Return-Path: <>\nSubject: Undeliverable")).kind == "bounce"


def test_spam_flag_from_the_mta_is_spam():
    assert parse_mail(mail("X-Spam-Flag: YES\nSubject: DMCA")).kind == "spam"
    assert parse_mail(mail("X-Spam-Status: Yes, score=9.1 required=5.0")).kind == "spam"
    assert parse_mail(mail("X-Spam-Status: No, score=0.1")).kind == "message"


def test_auto_reply_headers_other_than_auto_submitted():
    assert parse_mail(mail("Precedence: bulk")).kind == "auto_reply"
    assert parse_mail(mail("Precedence: list")).kind == "auto_reply"
    assert parse_mail(mail("X-Autoreply: yes")).kind == "auto_reply"
    assert parse_mail(mail("X-Autorespond: on")).kind == "auto_reply"


def test_auto_submitted_no_is_an_ordinary_message():
    assert parse_mail(mail("Auto-Submitted: no\nPrecedence: first-class")).kind == "message"


# --- hostile and malformed input -------------------------------------------------------------


@given(st.binary(max_size=5000))
@settings(max_examples=200, deadline=None, database=None)
def test_random_bytes_never_raise(raw):
    parsed = parse_mail(raw)

    assert isinstance(parsed, ParsedMail)
    assert not any(d.startswith("internal parser error") for d in parsed.defects)


@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=100), st.binary(max_size=500))
@settings(max_examples=200, deadline=None, database=None)
def test_arbitrary_header_values_never_raise(subject, sender, date, body):
    def one_line(value: str) -> str:
        return " ".join(value.split())

    head = f"Subject: {one_line(subject)}\nFrom: {one_line(sender)}\nDate: {one_line(date)}\nTo: {one_line(sender)}"
    parsed = parse_mail(head.encode("utf-8", "surrogatepass") + b"\n\n" + body)

    assert isinstance(parsed, ParsedMail)
    assert not any(d.startswith("internal parser error") for d in parsed.defects)


HTML_PIECES = [
    "<p>", "</p>", "<a href='https://a.example/x'>", "</a>", "<blockquote>", "</blockquote>", "<br>", "&amp;",
    "&#0;", "&#xD800;", "<script>", "</script>", "<head>", "<title>", "<?xml version='1.0' encoding='utf-8'?>",
    "<!--", "-->", "<![CDATA[", "]]>", "<body>", "\x00", "text ", "Кирилиця ", "<a href=\"https://[::1\">", "<", ">",
]


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=40))
@settings(max_examples=200, deadline=None, database=None)
def test_arbitrary_html_never_raises(pieces):
    parsed = parse_mail(b"Content-Type: text/html; charset=utf-8\n\n" + "".join(pieces).encode())

    assert not any(d.startswith("internal parser error") for d in parsed.defects)


def test_empty_bytes_give_an_empty_message():
    parsed = parse_mail(b"")

    assert (parsed.text, parsed.urls, parsed.kind) == ("", (), "message")


def test_unknown_charset_is_noted_and_the_text_still_decoded():
    raw = mail(
        "Subject: =?x-unknown-42?q?caf=E9?=\nContent-Type: text/plain; charset=x-unknown-42\n"
        "Content-Transfer-Encoding: 8bit",
        b"Caf\xe9 owner: https://a.example/x\n",
    )

    parsed = parse_mail(raw)

    assert parsed.subject == "café" and parsed.text == "Café owner: https://a.example/x"
    assert "text/plain part: unknown charset 'x-unknown-42'" in parsed.defects


def test_raw_8bit_header_bytes_are_decoded_as_utf8():
    raw = (
        b"From: J\xc3\xbcrgen Wei\xc3\x9f <JW@spiegel.example>\r\n"
        b"Subject: Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln\r\n\r\nhi\r\n"
    )

    parsed = parse_mail(raw)

    assert parsed.subject == "Grüße aus Köln"
    assert (parsed.from_name, parsed.from_address) == ("Jürgen Weiß", "jw@spiegel.example")


def test_multipart_without_closing_boundary_keeps_text_and_attachment():
    raw = mail(
        'Content-Type: multipart/mixed; boundary="b1"',
        "--b1\nContent-Type: text/plain\n\nhello https://x.example/a\n--b1\nContent-Type: application/pdf\n"
        "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=n.pdf\n\nJVBERi0xLjQK",
    )

    parsed = parse_mail(raw)

    assert parsed.text == "hello https://x.example/a"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("n.pdf", b"%PDF-1.4\n")]
    assert "malformed MIME: close boundary not found" in parsed.defects


def test_multipart_whose_boundary_never_appears_shows_its_raw_text():
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="zzz"', "please remove https://x.example/c\n"))

    assert parsed.urls == ("https://x.example/c",)
    assert "multipart without a usable boundary; body shown as plain text" in parsed.defects


def test_iso_8859_2_polish_text_is_decoded():
    raw = mail(
        "Subject: =?iso-8859-2?q?Naruszenie_praw_autorskich_=B3=F3d=BC?=\n"
        "Content-Type: text/plain; charset=iso-8859-2\nContent-Transfer-Encoding: 8bit",
        "Zażółć gęślą jaźń".encode("iso-8859-2"),
    )

    parsed = parse_mail(raw)

    assert parsed.subject == "Naruszenie praw autorskich łódź"
    assert parsed.text == "Zażółć gęślą jaźń"


def test_wrongly_declared_charset_is_detected_and_noted():
    raw = mail(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit",
        "Просимо видалити статтю протягом 24 годин, бо вона повністю копіює наш текст.".encode("cp1251"),
    )

    parsed = parse_mail(raw)

    assert parsed.text.startswith("Просимо видалити статтю")
    assert any("do not match charset 'utf-8'; decoded as cp1251" in d for d in parsed.defects)


def test_nul_and_control_characters_are_removed_for_the_database():
    parsed = parse_mail(mail("Subject: a\x01b", b"line\x00one\x07\n"))

    assert (parsed.subject, parsed.text) == ("ab", "lineone")


def nested(levels: int) -> bytes:
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(levels))
    return f"Subject: deep\n{opening}Content-Type: text/plain\n\nbottom https://a.example/deep\n".encode()


def test_absurdly_deep_nesting_is_cut_off_not_fatal():
    parsed = parse_mail(nested(200))

    assert parsed.subject == "deep"
    assert "MIME nesting too deep; inner parts ignored" in parsed.defects


def test_nesting_too_deep_for_the_stdlib_parser_keeps_headers_and_raw_text():
    parsed = parse_mail(nested(1200))

    assert parsed.subject == "deep" and parsed.urls == ("https://a.example/deep",)
    assert "MIME nesting too deep; inner parts ignored" in parsed.defects
