"""What a message to the takedown address is, read from its words: the cases real mail gets wrong."""

import pytest

from compliance.parsing.message_kind import MessageKind, classify_message

MISTAKE = ("I swear, under penalty of perjury, that I have a good faith belief that the material was removed "
           "as a result of a mistake or misidentification.")


@pytest.mark.parametrize("text", [
    "I have read and understand the Guide to Filing a DMCA Counter Notice. Please remove https://a.example/x",
    "The uploader never filed a counter-notice, so please remove the copies too.",
])
def test_a_takedown_that_mentions_counter_notices_is_still_a_takedown(text):
    assert classify_message("Takedown", text) == MessageKind.TAKEDOWN


def test_an_objector_asking_that_the_notice_be_withdrawn_files_a_counter_notice():
    assert classify_message("Objection", f"{MISTAKE} I ask that the notice be withdrawn.") == \
        MessageKind.COUNTER_NOTICE


def test_asking_someone_else_to_withdraw_is_no_retraction():
    assert classify_message("Notice", "We request that the uploader withdraw the copies. "
                                      "Please remove https://a.example/x") == MessageKind.TAKEDOWN


@pytest.mark.parametrize("text", [
    "Acme Photo would like to retract its DMCA takedown notice of 5 May for one page.",
    "I'd like to null, or invalidate, the DMCA takedown as we have agreed a licence.",
    "Please rescind the original takedown request for the following pages.",
    "The takedown is not needed anymore: we licensed the photo.",
    "It was misdetected as infringing; please restore it.",
])
def test_a_notifier_withdrawing_in_its_own_words_is_a_retraction(text):
    assert classify_message("Update", text) == MessageKind.RETRACTION


def test_a_counter_notice_quoting_a_retraction_stays_a_counter_notice():
    text = f"{MISTAKE}\nAn earlier sender once wrote that you may have the DMCA revoked at your convenience."

    assert classify_message("Response", text) == MessageKind.COUNTER_NOTICE


def test_our_words_quoted_back_do_not_classify_the_reply():
    text = "Here is my signature: Jane Roe\n> If you believe this is a mistake or misidentification, file a counter notice."

    assert classify_message("Re: [TD-2026-ABCDE]", text, threads_to_notice=True) == MessageKind.SUPPLEMENT
