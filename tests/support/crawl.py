"""Reading a site as a person would: every page reachable by GET from some starting
points, links and GET forms followed, and what the person can read in each response
(a page, a CSV, an XLSX's cells, a .zip's files). Used by the crawls that check who can
read what (tests/web/test_blind_crawl.py, tests/accounts/test_erasure.py)."""
from __future__ import annotations

import html
import io
import re
import zipfile
from collections import deque
from urllib.parse import urljoin, urlsplit

import openpyxl

VISIT_LIMIT = 300
# CSS, scripts and icons: the same for everyone, no data in them.
NOT_CRAWLED = ("/static/",)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(response) -> str:
    """What the person can read in a response: its headers (a download's file name), then
    an XLSX's cells, a .zip's files (the public checking kit), else its text."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers)
    if response.mimetype == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return headers + "\n" + "\n".join(str(value) for sheet in book.worksheets
                                          for row in sheet.iter_rows(values_only=True)
                                          for value in row if value is not None)
    if response.mimetype == "application/zip":
        kit = zipfile.ZipFile(io.BytesIO(response.get_data()))
        return headers + "\n" + "\n".join(kit.read(name).decode("utf-8")
                                           for name in kit.namelist())
    return headers + "\n" + response.get_data(as_text=True)


def links(page: str, here: str) -> list[str]:
    """Every same-site address the page offers: links, GET forms, and the live regions
    static/js/live.js polls."""
    found = re.findall(r'\shref="([^"]*)"', page)
    for form in re.findall(r"<form\b[^>]*>", page, re.IGNORECASE):
        method = re.search(r'method="([^"]*)"', form)
        if method is None or method.group(1).lower() == "get":
            action = re.search(r'action="([^"]*)"', form)
            found.append(action.group(1) if action else here)
    found += [f"{url}{'&' if '?' in url else '?'}since=0"
              for url in re.findall(r'data-live-url="([^"]*)"', page)]
    addresses = []
    for raw in found:
        url = urljoin(here, html.unescape(raw).split("#")[0])
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(NOT_CRAWLED):
            addresses.append(path)
    return addresses


def crawl(client, starts: list[str], limit: int = VISIT_LIMIT):
    """Breadth first from ``starts``: (address, response) of every page reachable by GET,
    redirects followed as links."""
    queue, seen = deque(dict.fromkeys(starts)), set(starts)
    while queue:
        address = queue.popleft()
        response = client.get(address, buffered=True)
        yield address, response
        found = []
        if 300 <= response.status_code < 400:
            found = [urlsplit(response.headers["Location"])._replace(
                scheme="", netloc="").geturl()]
        elif response.mimetype == "text/html":
            found = links(response.get_data(as_text=True), address)
        for url in found:
            if url not in seen and len(seen) < limit:
                seen.add(url)
                queue.append(url)
