"""Stored files that no row points at any more, removed after a grace period.

An upload is written to storage before its row is saved (so a file that cannot be stored fails
the request cleanly); when the surrounding transaction later rolls back, the row is gone but the
file stays, and Django has no rollback hook to remove it. This sweep walks a storage folder
(local disk or S3 alike, through the storage API) and deletes files older than the grace period
whose names no row holds. The grace period leaves files of transactions still in flight alone.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from django.core.files.storage import Storage
from django.utils import timezone

GRACE = timedelta(hours=6)


def stored_names(storage: Storage, folder: str) -> Iterator[str]:
    """Every file name under `folder`, recursively, as the storage names it."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from stored_names(storage, f"{folder}/{child}")


def sweep_orphans(
    storage: Storage,
    folder: str,
    known: Callable[[Iterable[str]], set[str]],
    *,
    now: datetime | None = None,
    grace: timedelta = GRACE,
    batch: int = 500,
) -> list[str]:
    """Delete the orphans of `folder`; `known(names)` answers which names rows still hold."""
    cutoff = (now or timezone.now()) - grace
    removed: list[str] = []
    names = list(stored_names(storage, folder))
    for start in range(0, len(names), batch):
        chunk = names[start : start + batch]
        held = known(chunk)
        for name in chunk:
            if name in held or storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
            removed.append(name)
    return removed
