"""Light pages (DESIGN.md §9, issue 8): every page a panellist reaches, with everything it
loads (stylesheets, scripts, icons, images), is well under 100 KB compressed, and
nothing is fetched from anywhere but the app itself.

The walk covers the sign-in pages, My rounds, a round's list, each scoring step, the
connections profile and the meeting pages, in the demo round. Sizes are gzip level 6,
as a typical reverse proxy would send them."""
from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from panel.extensions import db
from panel.moderation import services as meeting
from panel.rounds import services as rounds
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.support.web import submit

LIMIT = 100 * 1024
SLUG = "community-assets-2026"
PANELLIST = "amira@panel.example"
ASSET = re.compile(r'<(?:link|script|img|source)\b[^>]*\b(?:href|src)="([^"]+)"', re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
OFF_ORIGIN = re.compile(r'\b(?:href|src|action)="(?:https?:)?//([^/"]+)', re.I)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(client, path: str) -> tuple[int, dict[str, int], list[str]]:
    """(total compressed bytes, size per part, hosts referenced that are not ours)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data()
    parts = {path: gz(html)}
    text = html.decode()
    hosts = [host for host in OFF_ORIGIN.findall(text) if host not in ("localhost",)]
    for asset in set(ASSET.findall(text)):
        if urlsplit(asset).netloc:
            hosts.append(urlsplit(asset).netloc)
            continue
        body = client.get(asset).get_data()
        parts[asset] = gz(body)
        if asset.endswith(".css"):
            for inner in CSS_URL.findall(body.decode()):
                if inner.startswith("data:"):
                    continue
                if urlsplit(inner).netloc:
                    hosts.append(urlsplit(inner).netloc)
                else:
                    parts[inner] = gz(client.get(inner).get_data())
    return sum(parts.values()), parts, hosts


@pytest.fixture
def demo(app):
    return people.demo_round()


def panellist_pages(client, round_) -> list[str]:
    reference = round_.applications[0].reference
    base = f"/my-rounds/{SLUG}/{reference}"
    pages = ["/my-rounds", f"/my-rounds/{SLUG}", "/my-connections", f"{base}/connection",
             f"{base}/pass"]
    submit(client, f"{base}/connection", {"answer": "none"})
    pages += [f"{base}/application", f"{base}/question/1", f"{base}/comment", f"{base}/check"]
    return pages


def test_every_panellist_page_is_under_100_kb_with_its_assets(app, client, demo, mailbox):
    anonymous = ["/sign-in"]
    results = {path: weigh(client, path) for path in anonymous}
    people.sign_in_by_link(client, mailbox, PANELLIST)
    for path in panellist_pages(client, demo):
        results[path] = weigh(client, path)
    for path, (total, parts, hosts) in results.items():
        assert total < LIMIT, f"{path}: {total / 1024:.1f} KB compressed: {parts}"
        assert not hosts, f"{path} refers to other sites: {hosts}"


def test_the_meeting_pages_are_under_100_kb_on_a_phone(app, client, demo, mailbox):
    """The heaviest panellist pages: the item with its chart, tables and live script."""
    from panel.accounts.models import User
    from panel.rounds.models import Assignment, PanelMember

    member = db.session.scalar(sa.select(PanelMember).join(User)
                               .where(User.email == PANELLIST))
    first = db.session.scalar(sa.select(Assignment).where(Assignment.member_id == member.id))
    from panel.scoring import services as scoring

    scoring.answer_no_connection(member.user, first)
    sheet = scoring.save_sheet(member.user, first, 0,
                               scores={c.key: "4" for c in demo.criteria})
    scoring.submit_sheet(member.user, first, sheet.version)
    rounds.change_phase(None, demo, "moderation", system="tests")
    chair = db.session.scalar(sa.select(User).where(User.email == "chair@panel.example"))
    started = meeting.start_meeting(chair, demo)
    meeting.open_item(chair, started, first.application.reference)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) >= 1
    people.sign_in_by_link(client, mailbox, PANELLIST)
    for path in (f"/meetings/{demo.slug}", f"/meetings/{demo.slug}/revise",
                 f"/meetings/{demo.slug}/revise/question/1",
                 f"/meetings/{demo.slug}/revise/check"):
        total, parts, hosts = weigh(client, path)
        assert total < LIMIT, f"{path}: {total / 1024:.1f} KB compressed: {parts}"
        assert not hosts, f"{path} refers to other sites: {hosts}"
