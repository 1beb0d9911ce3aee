"""Counting pandas' per-cell and per-row access (``.at``, ``.iat``, ``.loc``, ``.iloc``,
``iterrows``, ``itertuples``), for tests that a builder does not loop over a round's
applications in Python: the real pandas methods are called, only counted."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pandas as pd
from pandas.core import indexing

COUNTED = [(indexing._AtIndexer, "__getitem__"), (indexing._iAtIndexer, "__getitem__"),
           (indexing._LocIndexer, "__getitem__"), (indexing._iLocIndexer, "__getitem__"),
           (pd.DataFrame, "iterrows"), (pd.DataFrame, "itertuples")]


@contextmanager
def counted_lookups():
    """A Counter of the accesses made while inside, by ``Class.method``."""
    counts: Counter[str] = Counter()
    originals = [(owner, name, getattr(owner, name)) for owner, name in COUNTED]

    def counting(owner, name, method):
        def counted(self, *args, **kwargs):
            counts[f"{owner.__name__}.{name}"] += 1
            return method(self, *args, **kwargs)
        return counted

    for owner, name, method in originals:
        setattr(owner, name, counting(owner, name, method))
    try:
        yield counts
    finally:
        for owner, name, method in originals:
            setattr(owner, name, method)
