import pytest

from compliance.parsing.mail_parse import ParsedMail, parse_mail
from compliance.parsing.notice_text import acting_for, find_statements, find_urls, guess_kind
from tests.fixtures import CORPUS

GOOD_FAITH = (
    "I have a good faith belief that use of the material in the manner complained of is not authorized "
    "by the copyright owner, its agent, or the law."
)
ACCURACY = (
    "The information in this notification is accurate, and under penalty of perjury, I am authorized "
    "to act on behalf of the owner of an exclusive right that is allegedly infringed."
)
URLS = ("https://worldtimetodays.example/articles/a/",)


def corpus_mail(prefix: str) -> ParsedMail:
    (path,) = CORPUS.glob(f"{prefix}-*.eml")
    return parse_mail(path.read_bytes())


# --- statements ------------------------------------------------------------------------------


def test_complete_dmca_notice_has_every_statement_and_a_slashed_signature():
    mail = corpus_mail("01")

    statements = find_statements(mail.text, mail.urls)

    assert (statements.good_faith, statements.accuracy) == (True, True)
    assert statements.signature == "Marta Hnatiuk"
    assert statements.missing == ()
    assert len(mail.urls) == 4


def test_s_slash_signature_line_is_the_signature():
    mail = corpus_mail("10")

    assert find_statements(mail.text, mail.urls).signature == "Legal Department"


def test_name_after_a_closing_is_the_signature():
    text = f"{GOOD_FAITH}\n{ACCURACY}\n\nMit freundlichen Grüßen\n\nAnna Schmidt\nRechtsabteilung\n"

    assert find_statements(text, URLS).signature == "Anna Schmidt"


def test_typed_name_closing_the_notice_after_the_perjury_statement_is_a_signature():
    mail = corpus_mail("04")

    assert find_statements(mail.text, mail.urls).signature == "Олег Шевчук, головний редактор"


def test_a_closing_sentence_after_the_statements_is_not_a_signature():
    text = f"{GOOD_FAITH}\n{ACCURACY}\n\nPlease remove these pages as soon as you can.\n"

    assert find_statements(text, URLS).missing == ("signature",)


def test_url_path_is_not_mistaken_for_a_slashed_name():
    text = f"{GOOD_FAITH}\nSee https://a.example/Photos/ and /usr/local/ for details."

    assert find_statements(text, URLS).signature == ""


def test_statements_wrapped_across_lines_are_found():
    text = (
        "I have a good\nfaith belief that this use is not\nauthorised. "
        "The information in this notice is\naccurate, under penalty\nof perjury."
    )

    statements = find_statements(text, URLS)

    assert (statements.good_faith, statements.accuracy) == (True, True)


def test_accuracy_needs_the_perjury_clause():
    text = f"{GOOD_FAITH}\nThe information in this notification is accurate.\n/s/ Jo Bloggs"

    statements = find_statements(text, URLS)

    assert statements.accuracy is False
    assert statements.missing == ("accuracy",)


def test_missing_elements_are_named_in_order():
    assert find_statements("Please take this down.", ()).missing == ("good_faith", "accuracy", "signature", "urls")


def test_good_faith_in_other_languages_counts():
    assert find_statements("Wir erklären in gutem Glauben, dass die Nutzung nicht erlaubt ist.", URLS).good_faith
    assert find_statements("Заявляємо добросовісно, що використання не дозволене.", URLS).good_faith


def test_quoted_reply_lines_do_not_sign_the_notice():
    assert find_statements("Thanks,\n> /s/ Someone Else\n", URLS).signature == ""


# --- kinds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        ("DMCA notice: copied articles", "", "copyright"),
        ("Urheberrechtsverletzung", "", "copyright"),
        ("Порушення авторських прав", "", "copyright"),
        ("Нарушение авторских прав", "", "copyright"),
        ("Violation du droit d'auteur", "", "copyright"),
        ("Naruszenie praw autorskich", "", "copyright"),
        ("Trademark infringement", "", "trademark"),
        ("Verletzung unserer Marke", "", "trademark"),
        ("Незаконне використання товарного знаку", "", "trademark"),
        ("Request", "Under the GDPR I ask for erasure of my personal data.", "privacy"),
        ("Antrag nach DSGVO", "", "privacy"),
        ("Right to be forgotten", "", "privacy"),
        ("Defamatory article", "", "defamation"),
        ("Verleumdung", "", "defamation"),
        ("Removal", "The article is libel.", "defamation"),
        ("Court order 2024/17", "", "court_order"),
        ("Preliminary injunction", "", "court_order"),
        ("Beschluss", "Das Landgericht Hamburg hat entschieden.", "court_order"),
        ("Request from the Ministry of Defence", "", "government"),
        ("Police request", "", "government"),
    ],
)
def test_guess_kind_from_keywords(subject, text, kind):
    assert guess_kind(subject, text) == kind


def test_subject_label_wins_over_a_passing_mention_in_the_body():
    assert guess_kind("DMCA notice", "Our photo credit and trademark policy are attached.") == "copyright"


def test_copying_without_a_legal_keyword_defaults_to_copyright():
    assert guess_kind("Our photo", "You copied our photo without a licence.") == "copyright"


def test_nothing_recognisable_is_other():
    assert guess_kind("Automatic reply", corpus_mail("08").text) == "other"


def test_a_letter_addressed_to_someone_is_not_a_court():
    assert guess_kind("Hinweis", "Dieser Brief ist an Ihre Redaktion gerichtet.") == "other"


def test_every_corpus_notice_is_copyright():
    for prefix in ("01", "02", "03", "04", "05", "06", "09", "10"):
        mail = corpus_mail(prefix)
        assert guess_kind(mail.subject, mail.text) == "copyright", prefix


# --- acting for ------------------------------------------------------------------------------


def test_forwarding_agent_acts_for_its_client():
    mail = corpus_mail("09")

    assert acting_for(mail.text, mail.from_name) == ("agent", "Pictura Images")


def test_dmca_boilerplate_on_behalf_of_the_owner_does_not_make_an_agent():
    mail = corpus_mail("01")

    assert acting_for(mail.text, mail.from_name) == ("owner", "")


@pytest.mark.parametrize(
    ("text", "principal"),
    [
        ("We represent Kyiv Independent Media LLC, a publisher.", "Kyiv Independent Media LLC"),
        ("Our client Getty Images who owns the photo asks", "Getty Images"),
        ("We are acting for Example Press Ltd. The article", "Example Press Ltd"),
        ("As the authorised agent of Pictura Images\nwe ask", "Pictura Images"),
        ("We write as agent for the Guardian which publishes", "the Guardian"),
        ("I write on behalf of our client, Novaya Media; see below", "Novaya Media"),
    ],
)
def test_agent_phrases_name_the_principal(text, principal):
    assert acting_for(text, "Paralegal") == ("agent", principal)


def test_staff_writing_on_behalf_of_their_own_organisation_are_the_owner():
    assert acting_for("I write on behalf of Pictura Images.", "Pictura Images Rights Desk") == ("owner", "")


# --- URLs in free text -----------------------------------------------------------------------


def test_find_urls_keeps_urls_raw_and_skips_quoted_lines():
    text = "Copies: HTTPS://Ours.example:443/a?utm_source=x#c, <https://ours.example/b>.\n> https://ours.example/ack\n"

    assert find_urls(text) == ("HTTPS://Ours.example:443/a?utm_source=x#c", "https://ours.example/b")


def test_find_urls_ignores_other_schemes_and_hostless_urls():
    assert find_urls("javascript:alert(1) ftp://a.example/ https:/// http://[::1/ mailto:x@y.example") == ()
