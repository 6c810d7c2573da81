from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.filters import ArticleFilter
from articles.api.serializers import (
    ArticleSerializer,
    ProvenanceSerializer,
    RightsHolderSerializer,
    SourceSerializer,
)
from articles.models import Article, RightsHolder, Source


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Article.objects.prefetch_related("creators")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter

    @extend_schema(responses=ProvenanceSerializer)
    @action(detail=True, methods=["get"])
    def provenance(self, request: Request, pk: str | None = None) -> Response:
        article = get_object_or_404(Article.objects.prefetch_related("creators"), pk=pk)
        data = {
            "article": article,
            "assets": article.assets.select_related("creator", "rights_holder").order_by("position"),
            "events": article.provenance_events.order_by("occurred_at", "id"),
        }
        return Response(ProvenanceSerializer(data).data)


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.prefetch_related("domains")
    serializer_class = SourceSerializer
    filterset_fields = ["policy", "country", "language"]


class RightsHolderViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RightsHolder.objects.prefetch_related("agents")
    serializer_class = RightsHolderSerializer
    filterset_fields = ["kind"]
