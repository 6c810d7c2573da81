"""URLs of a notice: cleaned of markdown, classed reported / original / reference by shape and context."""

from compliance.parsing.notice_text import read_notice

OURS = ("worldtimetodays.example",)
PAGE = "https://worldtimetodays.example/articles/harbour-at-dawn/"


def _roles(text: str, **options) -> dict[str, str]:
    return {u.url: u.role for u in read_notice(text, our_hosts=OURS, **options).urls}


def test_a_licence_file_on_our_site_is_reported_and_a_licence_page_elsewhere_is_a_reference():
    text = (f"The copy keeps our licence file: {PAGE}LICENSE\n"
            "Our licence terms: https://photo.example/eula\n")

    assert _roles(text) == {f"{PAGE}LICENSE": "reported", "https://photo.example/eula": "reference"}


def test_a_published_notice_is_cited_not_reported():
    text = f"As in our earlier notice https://notices.example/archive/123 please remove {PAGE}"

    assert _roles(text, archive_prefixes=("notices.example/archive",))["https://notices.example/archive/123"] \
        == "reference"


def test_a_link_only_in_the_html_is_an_item_when_ours_or_an_original_and_never_a_policy_page():
    roles = _roles("Please remove the page.", hrefs=(PAGE, "https://photo.example/gallery/7",
                                                     "https://photo.example/privacy"))

    assert roles == {PAGE: "reported", "https://photo.example/gallery/7": "original",
                     "https://photo.example/privacy": "reference"}


def test_the_same_url_named_in_earnest_after_a_question_is_an_item():
    text = (f"**Have you read our guide at {PAGE}?**\nYes\n**Which page should be removed?**\n{PAGE}\n")

    assert _roles(text) == {PAGE: "reported"}


def test_a_quoted_reply_names_nothing():
    assert _roles(f"Thanks for your answer.\n> {PAGE}\n") == {}
