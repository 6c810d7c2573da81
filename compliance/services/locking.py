"""One row locked for the caller's transaction, or NotFound naming what was asked for."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from compliance.errors import NotFound

Row = TypeVar("Row", bound=models.Model)


def locked_or_not_found(model: type[Row], pk: int, *, what: str) -> Row:
    """`select_for_update` on the row with this primary key; `what` names it in the error ("article")."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except ObjectDoesNotExist:  # the model's own DoesNotExist: .get on one table raises nothing else
        raise NotFound(f"no {what} with id {pk}") from None
