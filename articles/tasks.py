import logging

from celery import shared_task

from articles.importing.chunks import Chunk, import_chunk, record_failed_chunk

log = logging.getLogger(__name__)

CHUNK_ATTEMPTS = 4


@shared_task(name="articles.tasks.import_chunk", bind=True, max_retries=CHUNK_ATTEMPTS - 1)
def import_article_chunk(self, message: dict, *, actor: str) -> None:
    """One chunk of `import_articles --workers`: retried whole when it fails (it is one transaction),
    recorded as failed once its attempts are spent."""
    chunk = Chunk.from_message(message)
    try:
        import_chunk(chunk, actor=actor)
    except Exception as exc:
        failure = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        if self.request.retries < self.max_retries:
            log.warning("import chunk %s of %s (lines %s-%s) failed, retrying: %s",
                        chunk.index, chunk.run, chunk.first_line, chunk.last_line, failure)
            raise self.retry(exc=exc, countdown=self.request.retries + 1)
        log.error("import chunk %s of %s (lines %s-%s) failed %s times: %s",
                  chunk.index, chunk.run, chunk.first_line, chunk.last_line, CHUNK_ATTEMPTS, failure)
        record_failed_chunk(chunk, failure=failure)
