from django.core.management.base import BaseCommand, CommandError

from articles.actors import Actor
from compliance.errors import ComplianceError
from compliance.services.withdrawal import restore_article


class Command(BaseCommand):
    help = "Restore a withdrawn article: one transaction, audited."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("--reason", default="")
        parser.add_argument("--by", default="cli:restore_article", help="actor recorded in the audit log")

    def handle(self, *args, **options):
        try:
            article = restore_article(article_id=options["article_id"], actor=Actor.parse(options["by"]),
                                      reason=options["reason"])
        except ComplianceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored: article {article.pk} '{article.title}'")
