"""Lets hypothesis-jsonschema (schemathesis's body generator) run on the locked Hypothesis.

hypothesis-jsonschema 0.23 draws JSON objects with the old `many(...).more()` protocol of
Hypothesis's internals; the locked Hypothesis only offers `with many(...) as e: for _ in e:`,
so every object schema fails with "'many' object has no attribute 'more'". This adapter gives
the old protocol on top of the new one, for the contract test only. Drop it once the lock holds
a Hypothesis (or hypothesis-jsonschema) where the two agree again.
"""

from collections.abc import Iterator
from typing import Any

from hypothesis.internal.conjecture import utils as conjecture_utils


class _LegacyMany:
    """`more()` / `reject()` over the context-manager `many` (same choices, same spans)."""

    def __init__(self, data: Any, **sizes: Any) -> None:
        self._many = _new_many(data, **sizes)
        self._many.__enter__()
        self._elements: Iterator[None] = iter(self._many)

    def more(self) -> bool:
        try:
            next(self._elements)
        except StopIteration:
            self._many.__exit__(None, None, None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


_new_many = conjecture_utils.many


def install() -> None:
    """Point hypothesis-jsonschema at the adapter, when the installed Hypothesis needs it."""
    if hasattr(_new_many, "more"):
        return
    from hypothesis_jsonschema import _from_schema

    class _Utils:
        many = _LegacyMany

        def __getattr__(self, name: str) -> Any:
            return getattr(conjecture_utils, name)

    _from_schema.cu = _Utils()  # type: ignore[assignment]
