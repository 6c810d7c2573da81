import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.ingestion.page import IngestError, ingest_page


class Command(BaseCommand):
    help = "Ingest one HTML page as an article, with its assets and provenance."

    def add_arguments(self, parser):
        parser.add_argument("page", type=Path, nargs="?", help="the HTML file (not with --warc)")
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--source-url", help="the primary source's URL, as given")
        where.add_argument("--primary-source-unknown", action="store_true",
                           help="record the primary source as unknown (never guessed)")
        parser.add_argument("--final-url", help="where fetching ended, after redirects")
        parser.add_argument("--translated-from", default="", help="ISO 639-1 of the original")
        parser.add_argument("--translation-engine", default="")
        parser.add_argument("--by", default="cli:ingest_article", help="actor recorded in provenance")
        parser.add_argument("--warc", type=Path, help="read the page and its pictures from this web capture")
        parser.add_argument("--url", help="the page's URL in the capture (default: its first HTML page)")
        parser.add_argument("--fetch-assets", action="store_true",
                            help="download pictures the capture lacks (size, time, type and address limits)")

    def handle(self, *args, **options):
        if bool(options["page"]) == bool(options["warc"]):
            raise CommandError("give either the HTML file or --warc CAPTURE")
        if not options["source_url"] and not options["primary_source_unknown"] and not options["warc"]:
            raise CommandError("no source URL: give --source-url URL, or --primary-source-unknown")
        if options["translation_engine"] and not options["translated_from"]:
            raise CommandError("--translation-engine needs --translated-from")
        try:
            html = options["page"].read_bytes() if options["page"] else None
        except OSError as exc:
            raise CommandError(f"cannot read {options['page']}: {exc.strerror}") from None
        try:
            if options["warc"] or options["fetch_assets"]:
                from imagerights.services.asset_files import CaptureError, ingest_with_files

                try:
                    result = ingest_with_files(
                        html=html, warc=options["warc"], page_url=options["url"], fetch_assets=options["fetch_assets"],
                        source_url=options["source_url"], primary_source_unknown=options["primary_source_unknown"],
                        final_url=options["final_url"], translated_from=options["translated_from"].lower(),
                        translation_engine=options["translation_engine"], actor=options["by"])
                except CaptureError as exc:
                    raise CommandError(str(exc)) from None
            else:
                result = ingest_page(
                    html=html, source_url=options["source_url"], final_url=options["final_url"],
                    translated_from=options["translated_from"].lower(),
                    translation_engine=options["translation_engine"], actor=options["by"],
                )
        except IngestError as exc:
            raise CommandError(str(exc)) from None
        except (DatabaseError, ValueError, OSError) as exc:
            # The page is refused whole only here, and said so in one line; the detail goes to the log.
            logging.getLogger(__name__).exception("ingest_article failed")
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(f"could not ingest the page: {first_line[:300]}") from None
        article = result.article
        state = "created" if result.created else "updated" if result.changed else "unchanged"
        self.stdout.write(
            f"{state}: article {article.pk} '{article.title}' ({article.status}, "
            f"{article.assets.count()} assets) {article.get_absolute_url()}"
        )
        for part in article.rejected_parts:
            self.stdout.write(f"rejected {part['part']}: {part['reason']} ({part['url']})")
