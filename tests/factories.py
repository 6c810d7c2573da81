from datetime import timezone

import factory

from articles.fingerprints import sha256_hex
from articles.models import Article, Asset, RightsHolder, Source, SourceDomain
from articles.urlnorm import normalise_url, url_key


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    language = "en"

    @factory.post_generation
    def host(self, create, extracted, **kwargs):
        if create:
            SourceDomain.objects.get_or_create(host=extracted or f"{self.slug}.example", defaults={"source": self})


class RightsHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsHolder
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Holder {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    class Params:
        primary = factory.Sequence(lambda n: f"https://outlet.example/news/{n}.html")

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-number-{n}")
    body = "First paragraph of the report.\n\nSecond paragraph of the report."
    language = "en"
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.PUBLISHED
    primary_source_url_raw = factory.LazyAttribute(lambda o: o.primary)
    primary_source_url = factory.LazyAttribute(lambda o: normalise_url(o.primary))
    primary_source_key = factory.LazyAttribute(lambda o: url_key(o.primary))
    lookup_key = factory.LazyAttribute(lambda o: url_key(o.primary))
    content_sha256 = factory.LazyAttribute(lambda o: sha256_hex(o.body))
    published_at = factory.Faker("date_time_this_decade", tzinfo=timezone.utc)


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    kind = Asset.Kind.PHOTO
    original_url = factory.Sequence(lambda n: f"https://cdn.example/img/{n}.jpg")
    url_key = factory.LazyAttribute(lambda o: url_key(o.original_url))
    credit_line = "Photo by Jane Doe/Example Agency"
