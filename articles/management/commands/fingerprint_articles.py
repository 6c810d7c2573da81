from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.fingerprints import articles_without_fingerprints, fingerprint_articles
from articles.models import Article


class Command(BaseCommand):
    help = "Store the near-duplicate fingerprints (LSH keys) of articles that have none, for stay-down."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every article's fingerprint")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True) if options["all"]
                   else articles_without_fingerprints())
        size = options["batch_size"]
        with tqdm(total=len(ids), unit=" articles", desc="fingerprints", disable=options["no_progress"],
                  file=self.stderr._out) as bar:
            for start in range(0, len(ids), size):
                bar.update(fingerprint_articles(ids[start:start + size], replace=options["all"]))
        self.stdout.write(f"{len(ids)} articles fingerprinted")
