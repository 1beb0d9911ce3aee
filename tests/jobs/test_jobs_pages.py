"""What officers and admins see of background work: the admin's jobs page (every job:
state, attempts, last error, progress) and a round's background work (its jobs, and who
its e-mails did not reach, with why)."""
from __future__ import annotations

from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.jobs import run_jobs
from tests.support.web import submit

DASHBOARD = "/rounds/test-round/"


def remind(officer, app):
    """A round in scoring whose reminders reach one panellist and not the other."""
    round_ = round_builders.scoring_round(members=("amira@example.org",
                                                   "refused-ben@example.org"))
    submit(officer, DASHBOARD, action="/rounds/test-round/reminders")
    run_jobs(app)
    return round_


def test_the_round_s_background_work_shows_who_was_not_reached_and_why(officer, app, mailbox):
    remind(officer, app)
    page = officer.get("/rounds/test-round/background").get_data(as_text=True)
    assert "Background work" in page
    not_reached = page.split('id="not-reached"', 1)[1].split("</table>", 1)[0]
    assert "refused-ben@example.org" in not_reached and "amira@example.org" not in not_reached
    assert "550 5.1.1 No such mailbox here" in not_reached
    assert "Sending e-mail" in page and "1 sent, 1 not delivered" in page
    assert 'max="2" value="2"' in page  # the job's progress: both messages dealt with
    dashboard = officer.get(DASHBOARD).get_data(as_text=True)
    assert 'href="/rounds/test-round/background"' in dashboard


def test_the_admin_s_jobs_page_lists_every_job_with_its_round(app, client, mailbox):
    people.staff("admin@example.org", "admin")
    people.panellist("amira@example.org")
    submit(client, "/sign-in", {"email": "amira@example.org"})  # a job about no round
    run_jobs(app)
    people.sign_in_staff(client, "admin@example.org")
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Sign-in link" in page and "Sending e-mail" in page
    assert page.count("fp-tag--green") >= 2  # both done
    assert 'href="/admin/jobs"' in page  # in the admin's navigation


def test_an_officer_cannot_open_the_jobs_page(officer):
    assert officer.get("/admin/jobs").status_code == 403
