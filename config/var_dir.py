"""The folders the embedded default writes into, made by a command and never by importing settings.

``python -m config.var_dir`` (``make migrate``, ``make test`` and the test suite run it) makes
``VAR_DIR``, the folder collectstatic fills and, with the filesystem broker, the broker's folders,
which kombu expects to exist. With PostgreSQL and Redis nothing else needs them made first.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def embedded_folders() -> list[Path]:
    folders = [Path(settings.VAR_DIR), Path(settings.STATIC_ROOT)]
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    folders += [Path(options[key]) for key in ("data_folder_in", "data_folder_out", "processed_folder",
                                               "control_folder") if key in options]
    return folders


def make_folders() -> list[Path]:
    folders = embedded_folders()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    make_folders()
