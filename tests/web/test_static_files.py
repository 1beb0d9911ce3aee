"""The stylesheet and scripts are fetched once per release: pages link them with a
fingerprint of their bytes, and the fingerprinted address may be kept for a year."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from panel import paths


def test_pages_link_fingerprinted_assets_that_browsers_keep(client):
    page = client.get("/sign-in").get_data(as_text=True)
    link = re.search(r'href="(/static/css/fairpanel\.css\?v=([0-9a-f]+))"', page)
    assert link, "the stylesheet carries its fingerprint"
    css = Path(paths.STATIC, "css", "fairpanel.css").read_bytes()
    assert link.group(2) == hashlib.sha256(css).hexdigest()[:12]

    kept = client.get(link.group(1))
    assert kept.status_code == 200 and kept.data == css
    assert kept.cache_control.max_age == 365 * 24 * 3600
    assert kept.cache_control.immutable and kept.cache_control.public
    kept.close()


def test_an_old_or_missing_fingerprint_is_asked_again_each_time(client):
    for address in ("/static/css/fairpanel.css?v=000000000000", "/static/css/fairpanel.css"):
        response = client.get(address)
        assert response.status_code == 200
        assert response.cache_control.max_age != 365 * 24 * 3600
        assert not response.cache_control.immutable
        response.close()


def test_a_missing_file_is_not_found(client):
    assert client.get("/static/css/nothing-here.css?v=abc").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
