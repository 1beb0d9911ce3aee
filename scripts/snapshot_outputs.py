"""Write what users get from FairPanel into a folder, so that two versions of the code can
be compared file by file (a refactoring must change none of it).

    .venv/bin/python scripts/snapshot_outputs.py OUT [--database-url URL] [--large]
    diff -r BEFORE AFTER

It drives the app only through what users and scripts use — web pages through the test
client, the ``flask`` commands, bundles — never through FairPanel's internal modules, so the
same script runs against the code before and after a change:

- the demo round, imported as a bundle with generated scores, conflicts of both levels
  and revisions; the ranking page; the meeting (started, a revised score, outcomes, a
  skip) as the chair, the shared screen, the agenda and three panellists follow it; the
  report page, its CSV and workbook, the public summary and its CSV; ``flask round report``
  as JSON and CSV; the bundle export; the auditor's round and application pages; then the
  same after the round is decided and published;
- with ``--large``, the round of benchmarks/ranking_page.py (20,000 applications,
  110,000 sheets): ``flask round report`` as JSON, the ranking page (first, a middle and
  the last page), the meeting's chair page and agenda, and the bundle export.

Anything that differs between two runs of the same code is masked: CSRF tokens, the
session's countdown, times of day and dates written by the run, audit hashes (they
cover each event's time), temporary folders, the .xlsx container (its cell values are
written out instead)."""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from panel import create_app  # noqa: E402
from panel.extensions import db  # noqa: E402
from panel.models import PanelMember, Round, User  # noqa: E402

DEMO_BUNDLE = ROOT / "panel" / "demo" / "bundle"
DEMO_SLUG = "community-assets-2026"
MASKS = [
    (re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(type="hidden" name="csrf_token" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(name="csrf-token" content=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(data-session-ends-in=")\d+'), r"\1N"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "HASH"),  # audit hashes cover the time of each event
    (re.compile(r"/tmp/tmp\w+"), "TMP"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?"), "DATETIME"),
    (re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}(,| at) \d{1,2}:\d{2}(:\d{2})?( UTC)?"), "DATETIME"),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"), "TIME"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "DATE"),
    (re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|"
                r"October|November|December) \d{4}\b"), "DATE"),
]


def masked(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


class Forms(HTMLParser):
    """Every form of a page: its action and the values of its hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            if attrs.get("type") == "hidden":
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


class Snapshot:
    def __init__(self, out: Path, app) -> None:
        self.out, self.app = out, app
        self.clients: dict[str, object] = {}
        out.mkdir(parents=True, exist_ok=True)

    # People -------------------------------------------------------------------------------

    def client(self, email: str):
        """A test client signed in as ``email`` (the session Flask-Login and FairPanel keep)."""
        if email not in self.clients:
            with self.app.app_context():
                user = db.session.query(User).filter_by(email=email).one()
                token = f"{user.id}:{user.session_version}"
            client = self.app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = token
                session["_fresh"] = True
                session["signed_in_at"] = int(time.time())
                session.permanent = True
            self.clients[email] = client
        return self.clients[email]

    # Writing --------------------------------------------------------------------------------

    def page(self, name: str, email: str, path: str) -> str:
        response = self.client(email).get(path)
        body = response.get_data(as_text=True)
        kind = response.headers.get("Content-Type", "")
        self.write(name, f"{response.status_code} {kind}\n"
                         f"{response.headers.get('Location', '')}\n{masked(body)}")
        return body

    def download(self, name: str, email: str, path: str) -> None:
        response = self.client(email).get(path)
        if path.endswith(".xlsx"):
            self.write(name, f"{response.status_code}\n{workbook_text(response.data)}")
        else:
            self.write(name, f"{response.status_code}\n{masked(response.get_data(as_text=True))}")

    def post(self, name: str, email: str, page: str, action: str, data: dict) -> None:
        """Open ``page``, take the form posting to ``action`` with its hidden fields, post."""
        html = self.client(email).get(page).get_data(as_text=True)
        parser = Forms()
        parser.feed(html)
        form = next((f for f in parser.forms
                     if (f["action"] or page).split("?")[0] == action), None)
        if form is None:
            raise SystemExit(f"{page} has no form posting to {action}")
        response = self.client(email).post(form["action"] or page, data={**form["fields"], **data})
        self.write(name, f"{response.status_code}\n{response.headers.get('Location', '')}")

    def command(self, name: str, *args: str) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(args)} failed: {result.output}")
        self.write(name, masked(result.output))
        return result.output

    def write(self, name: str, text: str) -> None:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def export(self, name: str, slug: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "bundle"
            self.command(f"{name}/command.txt", "round", "export", slug, str(target))
            for file in sorted(target.iterdir()):
                text = file.read_text(encoding="utf-8")
                if len(text) > 2_000_000:  # the large round: its digest is enough
                    text = hashlib.sha256(text.encode()).hexdigest() + "\n"
                self.write(f"{name}/{file.name}", masked(text))


def workbook_text(data: bytes) -> str:
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl", dtype=object)
    return "\n".join(f"== {name}\n{frame.to_csv(index=False)}" for name, frame in sheets.items())


# The demo round ---------------------------------------------------------------------------------

def demo_bundle(folder: Path) -> Path:
    """The demo bundle with scores (some revised), conflicts and no decisions yet."""
    target = folder / "demo"
    shutil.copytree(DEMO_BUNDLE, target)
    spec = json.loads((target / "round.json").read_text())
    spec["slug"] = DEMO_SLUG
    (target / "round.json").write_text(json.dumps(spec))
    applications = pd.read_csv(target / "applications.csv", dtype=str)
    panel = pd.read_csv(target / "panellists.csv", dtype=str, keep_default_na=False)
    criteria = [c["key"] for c in spec["criteria"]]
    rng = np.random.default_rng(2026)
    rows = []
    for person in panel[panel["role"] == "panellist"].itertuples():
        lived = person.group == "lived_experience"
        for n, reference in enumerate(applications["reference"]):
            if rng.random() < 0.08:
                continue  # not sent
            base = 1 + (n * 3 + (4 if lived else 0)) % 5
            values = {c: ("" if rng.random() < 0.05 else
                          str(int(np.clip(base + rng.integers(-1, 2), 1, 5)))) for c in criteria}
            if all(v == "" for v in values.values()):
                values[criteria[0]] = "3"
            rows.append({"email": person.email, "reference": reference, "stage": "initial",
                         **values, "comment": f"Comment by {person.name} on {reference}"})
            if rng.random() < 0.1:
                revised = {c: (v if v == "" else str(max(1, int(v) - 1))) for c, v in values.items()}
                if all(v == "" for v in revised.values()):
                    revised[criteria[0]] = "2"
                rows.append({"email": person.email, "reference": reference, "stage": "revised",
                             **revised, "comment": ""})
    pd.DataFrame(rows).to_csv(target / "scores.csv", index=False)
    refs = list(applications["reference"])
    pd.DataFrame([
        {"email": "dave@panel.example", "reference": refs[3], "kind": "work_or_volunteer",
         "details": "I volunteer there", "level": "step_out"},
        {"email": "dr.mensah@panel.example", "reference": refs[2], "kind": "academic",
         "details": "Former colleague", "level": "step_out"},
        {"email": "amira@panel.example", "reference": refs[0], "kind": "local",
         "details": "Same estate", "level": "declared"},
    ]).to_csv(target / "conflicts.csv", index=False)
    return target


def set_phase(app, slug: str, phase: str, **settings) -> None:
    with app.app_context():
        round_ = db.session.query(Round).filter_by(slug=slug).one()
        round_.phase = phase
        for name, value in settings.items():
            setattr(round_, name, value)
        db.session.commit()


def demo(snap: Snapshot, folder: Path) -> None:
    officer, auditor = "officer@fairpanel.example", "auditor@fairpanel.example"
    chair, lived, academic = "chair@panel.example", "kerry@panel.example", "prof.okafor@panel.example"
    stepped = "dave@panel.example"
    slug = DEMO_SLUG
    snap.command("demo/seed.txt", "demo", "seed")
    # The seeded demo round is in scoring; its own pages first.
    snap.page("demo/scoring/my-rounds.html", lived, "/my-rounds")
    snap.page("demo/scoring/ranking.html", officer, f"/rounds/{slug}/ranking")
    snap.page("demo/scoring/dashboard.html", officer, f"/rounds/{slug}/")
    # Replace it by the scored bundle (the seeded round keeps its slug, so rename it).
    set_phase(snap.app, slug, "scoring")
    with snap.app.app_context():
        db.session.query(Round).filter_by(slug=slug).one().slug = "seeded-demo"
        db.session.commit()
    snap.command("demo/import.txt", "round", "import", str(demo_bundle(folder)))
    # round.json cannot set these yet: as an officer would on the set-up page.
    set_phase(snap.app, slug, "moderation", show_group_labels=True, lived_experience_first=True)
    for page in (1, 2):
        snap.page(f"demo/moderation/ranking-{page}.html", officer,
                  f"/rounds/{slug}/ranking?page={page}")
    snap.page("demo/moderation/chair-before-start.html", chair, f"/rounds/{slug}/meeting")
    snap.post("demo/moderation/start.txt", chair, f"/rounds/{slug}/meeting",
              f"/rounds/{slug}/meeting/start", {})
    meeting_pages(snap, "demo/moderation/1", slug, chair, (lived, academic, stepped))
    # A panellist revises their score on the current item.
    html = snap.client(academic).get(f"/meetings/{slug}/revise").get_data(as_text=True)
    snap.write("demo/moderation/revise-form.html", masked(html))
    criteria = re.findall(r'name="(c_[a-z_]+)"[^>]*type="radio"', html)
    if criteria:
        choice = {name: "2" for name in criteria}
        snap.post("demo/moderation/revise.txt", academic, f"/meetings/{slug}/revise",
                  f"/meetings/{slug}/revise", {**choice, "reason": "I heard more about it"})
    meeting_pages(snap, "demo/moderation/2", slug, chair, (lived, academic, stepped))
    snap.post("demo/moderation/outcome-1.txt", chair, f"/rounds/{slug}/meeting",
              f"/rounds/{slug}/meeting/outcome",
              {"outcome": "do_not_fund", "rationale": "Funded elsewhere already"})
    meeting_pages(snap, "demo/moderation/3", slug, chair, (lived, academic, stepped))
    snap.post("demo/moderation/skip.txt", chair, f"/rounds/{slug}/meeting",
              f"/rounds/{slug}/meeting/skip", {})
    snap.post("demo/moderation/outcome-2.txt", chair, f"/rounds/{slug}/meeting",
              f"/rounds/{slug}/meeting/outcome", {"outcome": "fund", "rationale": "Strong need"})
    snap.post("demo/moderation/outcome-3.txt", chair, f"/rounds/{slug}/meeting",
              f"/rounds/{slug}/meeting/outcome", {"outcome": "keep", "rationale": ""})
    meeting_pages(snap, "demo/moderation/4", slug, chair, (lived, academic, stepped))
    for page in (1, 2):
        snap.page(f"demo/moderation/ranking-after-{page}.html", officer,
                  f"/rounds/{slug}/ranking?page={page}")
    reports(snap, "demo/moderation", slug, officer, chair)
    snap.export("demo/moderation/bundle", slug)
    # Decided (the officer's phase page: this records the anchor), then published.
    for phase in ("decided", "published"):
        snap.post(f"demo/{phase}/phase.txt", officer, f"/rounds/{slug}/phase/next",
                  f"/rounds/{slug}/phase/next", {})
        snap.page(f"demo/{phase}/ranking.html", officer, f"/rounds/{slug}/ranking")
        snap.page(f"demo/{phase}/chair.html", chair, f"/rounds/{slug}/meeting")
        snap.page(f"demo/{phase}/follow.html", lived, f"/meetings/{slug}")
        snap.page(f"demo/{phase}/screen.html", chair, f"/rounds/{slug}/meeting/screen")
        snap.page(f"demo/{phase}/my-rounds-lived.html", lived, "/my-rounds")
        snap.page(f"demo/{phase}/my-rounds-chair.html", chair, "/my-rounds")
        reports(snap, f"demo/{phase}", slug, officer, lived if phase == "published" else chair)
    snap.export("demo/published/bundle", slug)
    snap.page("demo/published/audit-round.html", auditor, f"/audit/rounds/{slug}")
    for reference in ("CA-001", "CA-004"):
        snap.page(f"demo/published/audit-{reference}.html", auditor,
                  f"/audit/rounds/{slug}/applications/{reference}")


def meeting_pages(snap: Snapshot, name: str, slug: str, chair: str, panel) -> None:
    snap.page(f"{name}/chair.html", chair, f"/rounds/{slug}/meeting")
    snap.page(f"{name}/chair-live.html", chair, f"/rounds/{slug}/meeting?since=0")
    snap.page(f"{name}/screen.html", chair, f"/rounds/{slug}/meeting/screen")
    snap.page(f"{name}/agenda.html", chair, f"/rounds/{slug}/meeting/agenda")
    for email in panel:
        who = email.split("@")[0]
        snap.page(f"{name}/follow-{who}.html", email, f"/meetings/{slug}")
        snap.page(f"{name}/follow-live-{who}.html", email, f"/meetings/{slug}?since=0")
        snap.page(f"{name}/my-rounds-{who}.html", email, "/my-rounds")


def reports(snap: Snapshot, name: str, slug: str, officer: str, reader: str) -> None:
    snap.command(f"{name}/report.json", "round", "report", slug)
    snap.command(f"{name}/report-cli.csv", "round", "report", slug, "--format", "csv")
    snap.page(f"{name}/report.html", officer, f"/rounds/{slug}/report")
    snap.page(f"{name}/report-reader.html", reader, f"/rounds/{slug}/report")
    snap.download(f"{name}/report.csv", officer, f"/rounds/{slug}/report.csv")
    snap.download(f"{name}/report.xlsx.txt", officer, f"/rounds/{slug}/report.xlsx")
    snap.page(f"{name}/summary.html", officer, f"/rounds/{slug}/report/summary")
    snap.download(f"{name}/summary.csv", officer, f"/rounds/{slug}/report/summary.csv")


# The large round ----------------------------------------------------------------------------------

def large(snap: Snapshot) -> None:
    from ranking_page import SLUG, build

    with snap.app.app_context():
        build(7)
    officer = "officer@bench.example"
    json_text = snap.command("large/report.json", "round", "report", SLUG)
    snap.write("large/report.json", hashlib.sha256(json_text.encode()).hexdigest() + "\n"
               + json_text[:20_000])
    for page in (1, 200, 400):
        snap.page(f"large/ranking-{page}.html", officer, f"/rounds/{SLUG}/ranking?page={page}")
    set_phase(snap.app, SLUG, "moderation")
    snap.post("large/start.txt", officer, f"/rounds/{SLUG}/meeting",
              f"/rounds/{SLUG}/meeting/start", {})
    snap.page("large/chair.html", officer, f"/rounds/{SLUG}/meeting")
    snap.page("large/screen.html", officer, f"/rounds/{SLUG}/meeting/screen")
    for page in (1, 2, 400):
        snap.page(f"large/agenda-{page}.html", officer, f"/rounds/{SLUG}/meeting/agenda?page={page}")
    snap.export("large/bundle", SLUG)


def fresh_app(url: str, folder: str):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url,
                     MAIL_OUTBOX_DIR=str(Path(folder) / "outbox"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--database-url", help="an empty database for the demo round "
                                               "(default: an SQLite file in a temp folder)")
    parser.add_argument("--large", action="store_true", help="also the 20,000-application round")
    parser.add_argument("--large-database-url", help="an empty database for the large round")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    with tempfile.TemporaryDirectory() as folder:
        runs = [("demo round", args.database_url or f"sqlite:///{folder}/demo.sqlite3", demo)]
        if args.large:
            runs.append(("large round", args.large_database_url
                         or f"sqlite:///{folder}/large.sqlite3", lambda snap, _: large(snap)))
        for label, url, run in runs:
            app = fresh_app(url, folder)
            started = time.perf_counter()
            run(Snapshot(args.out, app), Path(folder))
            print(f"{label}: {time.perf_counter() - started:.1f} s")
            with app.app_context():
                db.engine.dispose()
    files = sorted(p for p in args.out.rglob("*") if p.is_file())
    print(f"{len(files)} files written to {args.out}")


if __name__ == "__main__":
    main()
