"""Pieces shared by every domain's forms."""
from __future__ import annotations


def strip_whitespace(value):
    """People paste addresses with spaces around them; that is not an error."""
    return value.strip() if isinstance(value, str) else value
