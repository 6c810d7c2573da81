"""Input and output shapes of the notice API; validation only, the services decide."""

from rest_framework import serializers

from compliance.models import Notice, NoticeItem


class ClaimantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField()
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


class ItemSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2048)
    scope = serializers.ChoiceField(choices=NoticeItem.Scope.choices, default=NoticeItem.Scope.URL)
    original_url = serializers.CharField(max_length=2048, required=False, allow_blank=True, allow_null=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, allow_null=True, default="")


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
