import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from articles.models import Article
from articles.urlnorm import url_key


class ArticleFilter(django_filters.FilterSet):
    primary_source_url = django_filters.CharFilter(
        method="filter_primary_source_url",
        help_text="The primary source's URL in any spelling (case, port, tracking parameters, fragment)",
    )
    source_host = django_filters.CharFilter(field_name="source__domains__host", distinct=True)

    class Meta:
        model = Article
        fields = {
            "source": ["exact"],
            "status": ["exact"],
            "rights_holder": ["exact"],
            "language": ["exact"],
            "basis": ["exact"],
        }

    def filter_primary_source_url(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        try:
            return queryset.filter(primary_source_key=url_key(value))
        except ValueError as exc:
            raise ValidationError({"primary_source_url": str(exc)}) from None
