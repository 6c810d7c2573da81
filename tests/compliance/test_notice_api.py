import copy
import json
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.api.serializers import ItemSerializer

from compliance.models import AuditEntry, Notice, NoticeItem
from tests.conftest import postgres_only
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _as_sender(user):
    # Made here, not only by the migration: a transactional test's flush empties the groups table.
    group, _ = Group.objects.get_or_create(name="Notice sender")
    group.permissions.add(Permission.objects.get(content_type__app_label="compliance", codename="add_notice"))
    user.groups.add(group)
    return user


@pytest.fixture
def sender(django_user_model):
    return _as_sender(django_user_model.objects.create_user("kyiv-independent"))


@pytest.fixture
def api(sender) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=sender).key}")
    return client


def _load(corpus, name: str) -> dict:
    return json.loads((corpus / name).read_text())


def _post(api, body: dict, **headers):
    return api.post("/api/v1/notices/", data=json.dumps(body), content_type="application/json", **headers)


def test_single_notice_is_created_with_reference_and_status_url(api, corpus):
    ArticleFactory(slug="ukrainian-army-secures-kharkiv")

    response = _post(api, _load(corpus, "api-single.json"))

    assert response.status_code == 201, response.content
    body = response.json()
    notice = Notice.objects.get()
    assert body["reference"] == notice.reference and body["items"] == 2 and body["matched_items"] == 1
    assert "/takedown/status/" in body["status_url"] and response["Location"] == body["status_url"]
    assert notice.verification == Notice.Verification.API_SENDER and notice.channel == "api"
    assert notice.status == Notice.Status.IN_REVIEW and notice.due_at is not None


def test_bulk_notice_of_50_items(api, corpus):
    response = _post(api, _load(corpus, "api-bulk-50.json"))

    assert response.status_code == 201 and response.json()["items"] == 50
    assert NoticeItem.objects.count() == 50
    assert not NoticeItem.objects.filter(normalised_url__contains="utm_").exists()


def test_invalid_notice_lists_every_bad_field(api, corpus):
    response = _post(api, _load(corpus, "api-invalid.json"))

    assert response.status_code == 400
    errors = response.json()
    assert "accuracy_under_penalty_of_perjury" in errors["statements"]
    assert Notice.objects.count() == 0


def test_malformed_and_javascript_urls_are_named_by_position(api, corpus):
    body = _load(corpus, "api-invalid.json")
    body["statements"]["accuracy_under_penalty_of_perjury"] = True

    errors = _post(api, body).json()

    assert set(errors) == {"items[0].url", "items[1].url"}
    assert "only http and https" in errors["items[1].url"][0]


def test_same_idempotency_key_and_body_returns_the_first_answer(api, corpus):
    body = _load(corpus, "api-single.json")

    first = _post(api, body, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = _post(api, body, HTTP_IDEMPOTENCY_KEY="abc-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Notice.objects.count() == 1
    assert AuditEntry.objects.filter(action="notice.received").count() == 1


def test_same_idempotency_key_with_another_body_is_a_conflict(api, corpus):
    body = _load(corpus, "api-single.json")
    _post(api, body, HTTP_IDEMPOTENCY_KEY="abc-2")
    changed = copy.deepcopy(body)
    changed["work_description"] = "Something else"

    response = _post(api, changed, HTTP_IDEMPOTENCY_KEY="abc-2")

    assert response.status_code == 409 and Notice.objects.count() == 1


def test_key_in_the_body_works_like_the_header(api, corpus):
    body = _load(corpus, "api-single.json")

    _post(api, body)
    _post(api, body)

    assert Notice.objects.count() == 1


def test_over_the_size_limit_is_413_before_reading(api, corpus, settings):
    settings.NOTICE_API_MAX_BYTES = 500

    response = _post(api, _load(corpus, "api-single.json"))

    assert response.status_code == 413 and "limit is 500" in response.json()["detail"]


def test_over_the_rate_is_429(api, corpus, settings):
    settings.NOTICE_API_RATE = "2/hour"
    body = _load(corpus, "api-single.json")
    codes = []
    for n in range(3):
        body["idempotency_key"] = f"rate-{n}"
        codes.append(_post(api, body).status_code)

    assert codes == [201, 201, 429]


def test_only_registered_senders_may_post(django_user_model, corpus):
    client = APIClient()
    assert _post(client, _load(corpus, "api-single.json")).status_code in (401, 403)
    client.force_authenticate(django_user_model.objects.create_user("random"))
    assert _post(client, _load(corpus, "api-single.json")).status_code == 403


def test_senders_see_only_their_own_notices(api, corpus, django_user_model):
    reference = _post(api, _load(corpus, "api-single.json")).json()["reference"]
    other = _as_sender(django_user_model.objects.create_user("other-sender"))
    stranger = APIClient()
    stranger.force_authenticate(other)

    mine = api.get(f"/api/v1/notices/{reference}/")

    assert mine.status_code == 200 and mine.json()["items"][0]["state"] in ("matched", "unmatched")
    assert stranger.get(f"/api/v1/notices/{reference}/").status_code == 404


def test_notice_api_is_in_the_openapi_schema_with_an_example(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/notices/" in schema and "Idempotency-Key" in schema and "kharkiv-border-2022-05-16" in schema


@postgres_only("two requests racing need two real connections")
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_racing_make_one_notice(sender, corpus):
    token = Token.objects.create(user=sender).key
    body = _load(corpus, "api-single.json")
    barrier, codes = threading.Barrier(2), []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait()
        codes.append(_post(client, body, HTTP_IDEMPOTENCY_KEY="race-1").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [201, 201]
    assert Notice.objects.count() == 1


# --- items: the plain path gives what DRF's nested serializer gives --------------------------

EDGE_TEXT = ["https://worldtimetodays.example/articles/a/", "  https://outlet.example/a.html \n", "", " ",
             "javascript:alert(1)", "url", "domain", "URL", "a\x00b", "https://bücher.example/", "\ud800",
             "x" * 2000, "x" * 2001, "y" * 2048, "y" * 2049, " " + "z" * 2048 + " "]
EDGE_VALUES = [*EDGE_TEXT, None, 0, 7, True, [], ["https://a.example/"], {}, {"url": "https://a.example/"}]
TEXT = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=12))
VALUE = st.one_of(TEXT, st.none(), st.integers(), st.booleans(), st.lists(st.integers(), max_size=1),
                  st.dictionaries(st.just("url"), TEXT, max_size=1))
ITEM = st.one_of(
    st.dictionaries(st.sampled_from(["url", "scope", "original_url", "note", "extra"]), VALUE),
    st.fixed_dictionaries({"url": TEXT}, optional={"scope": st.sampled_from(["url", "domain", "", "URL", None, 1]),
                                                   "original_url": VALUE, "note": VALUE}),
    VALUE)


def _items_outcome(serializer: serializers.BaseSerializer) -> tuple[bool, object]:
    valid = serializer.is_valid()
    return valid, [dict(item) for item in serializer.validated_data] if valid else serializer.errors


@hypothesis_settings(max_examples=400, deadline=None, database=None)
@given(st.lists(ITEM, max_size=4))
def test_items_validate_as_the_nested_serializer_does(items):
    nested = serializers.ListSerializer(child=ItemSerializer(), data=items)

    assert _items_outcome(ItemSerializer(many=True, data=items)) == _items_outcome(nested)


@pytest.mark.parametrize("field", ["url", "scope", "original_url", "note"])
@pytest.mark.parametrize("value", EDGE_VALUES, ids=range(len(EDGE_VALUES)))
def test_each_odd_value_of_each_field_validates_as_the_nested_serializer_does(field, value):
    for item in ({"url": "https://outlet.example/a.html", field: value}, {field: value}):
        nested = serializers.ListSerializer(child=ItemSerializer(), data=[item])

        assert _items_outcome(ItemSerializer(many=True, data=[item])) == _items_outcome(nested)


def test_items_of_plain_strings_skip_the_nested_serializer(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ItemSerializer was asked")

    monkeypatch.setattr(ItemSerializer, "run_validation", refuse)
    items = [{"url": " https://outlet.example/a.html "}, {"url": "outlet.example", "scope": "domain", "note": None},
             {"url": "https://outlet.example/b.html", "original_url": "https://source.example/b", "note": "p. 2"}]
    serializer = ItemSerializer(many=True, data=items)

    assert serializer.is_valid()
    assert [dict(item) for item in serializer.validated_data] == [
        {"url": "https://outlet.example/a.html", "scope": "url", "original_url": "", "note": ""},
        {"url": "outlet.example", "scope": "domain", "original_url": "", "note": None},
        {"url": "https://outlet.example/b.html", "scope": "url", "original_url": "https://source.example/b",
         "note": "p. 2"}]
    with pytest.raises(AssertionError, match="asked"):
        ItemSerializer(many=True, data=[{"url": ""}]).is_valid()


def test_each_bad_item_is_named_by_position_and_field(api, corpus):
    body = _load(corpus, "api-single.json")
    body["items"] = [{"url": "https://outlet.example/a.html"}, {"url": " "}, {"scope": "domain"},
                     {"url": "https://outlet.example/b.html", "scope": "page"}, "https://outlet.example/c.html",
                     {"url": "x" * 2049}]

    errors = _post(api, body).json()["items"]

    assert errors == {
        "1": {"url": ["This field may not be blank."]},
        "2": {"url": ["This field is required."]},
        "3": {"scope": ['"page" is not a valid choice.']},
        "4": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]},
        "5": {"url": ["Ensure this field has no more than 2048 characters."]},
    }
    assert Notice.objects.count() == 0
