"""Input and output shapes of the notice API; validation only, the services decide."""

from rest_framework import serializers

from compliance.models import Notice, NoticeItem


class ClaimantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=320)
    address = serializers.CharField(max_length=1000)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class ActingForSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    relationship = serializers.ChoiceField(choices=Notice.ActingAs.choices)


class StatementsSerializer(serializers.Serializer):
    good_faith = serializers.BooleanField()
    accuracy_under_penalty_of_perjury = serializers.BooleanField()

    def validate(self, data: dict) -> dict:
        refused = [name for name, value in data.items() if value is not True]
        if refused:
            raise serializers.ValidationError({name: "This statement must be true." for name in refused})
        return data


URL_MAX_LENGTH, NOTE_MAX_LENGTH = 2048, 2000
SCOPES = frozenset(NoticeItem.Scope.values)
OPTIONAL_TEXT = (("original_url", URL_MAX_LENGTH), ("note", NOTE_MAX_LENGTH))


class ItemListSerializer(serializers.ListSerializer):
    """ItemSerializer's fields cost about 20 µs an item, 0.2 s for a notice of 10,000. An item of
    plain strings is validated by `plain_item` instead; any other goes through ItemSerializer, so
    every error message is DRF's own."""

    def run_child_validation(self, data):
        return plain_item(data) or super().run_child_validation(data)


class ItemSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=URL_MAX_LENGTH)
    scope = serializers.ChoiceField(choices=NoticeItem.Scope.choices, default=NoticeItem.Scope.URL)
    original_url = serializers.CharField(max_length=URL_MAX_LENGTH, required=False, allow_blank=True,
                                         allow_null=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, allow_null=True,
                                 default="")

    class Meta:
        list_serializer_class = ItemListSerializer


def plain_item(data: object) -> dict | None:
    """What ItemSerializer makes of `data` when it is an item of plain ASCII strings that it
    accepts; None when ItemSerializer must decide."""
    if type(data) is not dict:
        return None
    url, scope = _plain_text(data.get("url"), URL_MAX_LENGTH), data.get("scope", NoticeItem.Scope.URL)
    if not url or not isinstance(scope, str) or scope not in SCOPES:
        return None
    item = {"url": url, "scope": scope}
    for name, max_length in OPTIONAL_TEXT:
        value = data.get(name, "")
        if value is not None:
            value = _plain_text(value, max_length)
            if value is None:
                return None
        item[name] = value
    return item


def _plain_text(value: object, max_length: int) -> str | None:
    """The value as DRF's CharField keeps it (stripped), or None unless it is plainly valid ASCII text."""
    if type(value) is not str or not value.isascii() or "\x00" in value:
        return None
    stripped = value.strip()
    return stripped if len(stripped) <= max_length else None


class NoticeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Notice.Kind.choices, default=Notice.Kind.COPYRIGHT)
    claimant = ClaimantSerializer()
    acting_for = ActingForSerializer(required=False)
    work_description = serializers.CharField(max_length=5000)
    explanation = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    statements = StatementsSerializer()
    signature = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=200, required=False)
    items = ItemSerializer(many=True, allow_empty=False, max_length=10_000)


class NoticeItemOutputSerializer(serializers.ModelSerializer):
    matches = serializers.IntegerField(source="match_count", read_only=True)

    class Meta:
        model = NoticeItem
        fields = ["position", "scope", "url", "normalised_url", "state", "matches"]


class NoticeOutputSerializer(serializers.ModelSerializer):
    items = NoticeItemOutputSerializer(many=True, read_only=True)
    duplicate_of = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Notice
        fields = ["reference", "status", "kind", "channel", "verification", "received_at", "due_at",
                  "missing_elements", "duplicate_of", "items"]
