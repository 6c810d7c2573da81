from django.core.management.base import BaseCommand, CommandError

from articles.actors import Actor
from compliance.errors import ComplianceError
from compliance.services.withdrawal import withdraw_article


class Command(BaseCommand):
    help = "Withdraw an article (HTTP 451 from then on): one transaction, audited."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("--reason", required=True)
        parser.add_argument("--reference", default="", help="notice reference, e.g. TD-2026-7F3KQ9")
        parser.add_argument("--by", default="cli:withdraw_article", help="actor recorded in the audit log")

    def handle(self, *args, **options):
        try:
            article = withdraw_article(article_id=options["article_id"], actor=Actor.parse(options["by"]),
                                       reason=options["reason"], reference=options["reference"])
        except ComplianceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"withdrawn: article {article.pk} '{article.title}' at {article.withdrawn_at:%Y-%m-%d %H:%M:%S %Z}")
