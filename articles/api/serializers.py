from rest_framework import serializers

from articles.models import Article, Asset, Creator, ProvenanceEvent, RightsHolder, Source


class SourceSerializer(serializers.ModelSerializer):
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="host")

    class Meta:
        model = Source
        fields = ["id", "name", "slug", "homepage", "domains", "country", "language", "takedown_email", "policy"]


class RightsHolderSerializer(serializers.ModelSerializer):
    class Meta:
        model = RightsHolder
        fields = ["id", "name", "kind", "contact_emails", "verified_domains", "agents"]


class CreatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Creator
        fields = ["id", "name", "role", "rights_holder"]


class AssetSerializer(serializers.ModelSerializer):
    creator = serializers.StringRelatedField()
    rights_holder = serializers.StringRelatedField()

    class Meta:
        model = Asset
        fields = ["id", "position", "kind", "original_url", "url_key", "credit_line", "caption", "creator",
                  "rights_holder", "license", "display", "status", "withdrawn_at", "withdrawal_reference"]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    creators = CreatorSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = ["id", "slug", "url", "title", "language", "status", "source", "rights_holder", "creators",
                  "basis", "license", "credit_text", "primary_source_url_raw", "primary_source_url_canonical",
                  "primary_source_url_final", "primary_source_url", "primary_source_key", "lookup_key",
                  "translated_from", "translation_engine", "content_sha256", "original_published_at",
                  "published_at", "withdrawn_at", "withdrawal_reference"]

    def get_url(self, article: Article) -> str:
        return article.get_absolute_url()


class ProvenanceEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProvenanceEvent
        fields = ["id", "kind", "asset", "actor", "occurred_at", "input_sha256", "output_sha256", "detail"]


class ProvenanceSerializer(serializers.Serializer):
    article = ArticleSerializer()
    assets = AssetSerializer(many=True)
    events = ProvenanceEventSerializer(many=True)
