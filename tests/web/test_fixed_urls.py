"""The header's, footer's and navigation's links and the static files' fingerprinted
URLs are made once per process (issue 17: a dozen ``url_for`` on every page). Made once
must not mean made wrong: an app mounted under a path prefix still links under it, the
same process serving without the prefix links without it, and a static file still
carries its fingerprint."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.builders.rounds import panellist_on_my_rounds

ROOT = Path(__file__).resolve().parents[2]


def links(page: str) -> set[str]:
    return set(re.findall(r'(?:href|src|action)="([^"]+)"', page))


def test_links_follow_the_prefix_the_app_is_mounted_under(app, mailbox):
    amira = panellist_on_my_rounds(app, mailbox)
    plain = links(amira.get("/my-rounds").get_data(as_text=True))
    mounted = links(amira.get("/my-rounds", base_url="http://localhost/panel")
                    .get_data(as_text=True))
    for url in ("/my-rounds", "/my-connections", "/privacy", "/accessibility", "/sign-out",
                "/language"):
        assert url in plain and "/panel" + url in mounted, url
    assert not any(url.startswith("/panel") for url in plain)
    again = links(amira.get("/my-rounds").get_data(as_text=True))
    assert again == plain


def test_static_files_keep_their_fingerprint(app, mailbox):
    amira = panellist_on_my_rounds(app, mailbox)
    css = hashlib.sha256((ROOT / "static/css/fairpanel.css").read_bytes()).hexdigest()[:12]
    for _ in range(2):  # made, then found made
        page = amira.get("/my-rounds").get_data(as_text=True)
        assert f"/static/css/fairpanel.css?v={css}" in page
