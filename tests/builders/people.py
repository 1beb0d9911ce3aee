"""People in tests: staff with a password (and two-step sign-in), panellists, the demo's
people, and signing each of them in as they would. Through the real services, so
everything is on the audit trail; the builders commit."""
from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from panel.accounts import second_factor
from panel.accounts import services as accounts
from panel.accounts.models import SecondFactor, User
from panel.demo import seed as demo
from panel.extensions import db
from panel.rounds.queries import round_by_slug
from tests.support.web import submit

PASSWORD = "correct horse battery staple"


def staff(email: str = "officer@example.org", *roles: str, name: str = "Olu Officer",
          password: str = PASSWORD) -> User:
    user = accounts.create_account(None, email=email, name=name,
                                   roles=set(roles or ("officer",)), password=password,
                                   system="tests")
    db.session.commit()
    return user


def panellist(email: str = "amira@example.org", name: str = "Amira Hussain") -> User:
    user = accounts.create_account(None, email=email, name=name, system="tests")
    db.session.commit()
    return user


def demo_round(password: str = PASSWORD):
    demo.seed(password)
    db.session.commit()
    return round_by_slug(demo.demo_spec()["slug"])


def sign_in_staff(client, email: str, password: str = PASSWORD):
    return submit(client, "/sign-in/staff", {"email": email, "password": password})


def invitation_link(app, mailbox, email: str = "hannah@example.org",
                    name: str = "Hannah Price", role: str = "auditor") -> str:
    """An admin (made here) invites ``email`` as ``role``; the path of the e-mailed link."""
    staff("admin@example.org", "admin", name="Ada Admin")
    admin = app.test_client()
    sign_in_staff(admin, "admin@example.org")
    submit(admin, "/admin/people/invite", {"name": name, "email": email, "roles": [role]})
    return mailbox.last_link(email, "/invitation/")


def sign_in_by_link(client, mailbox, email: str):
    submit(client, "/sign-in", {"email": email})
    link = mailbox.last_link(email, "/sign-in/link/")
    return submit(client, link)


SET_UP = "/account/two-step-sign-in"


RECOVERY_CODE = re.compile(r'<code class="fp-code">([0-9a-z]{4}(?:-[0-9a-z]{4}){3})</code>')


def user_named(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def next_code(email: str) -> str:
    """The code an authenticator app would show for this person now, or the next one if
    the current one has been used (codes work once)."""
    factor = db.session.get(SecondFactor, user_named(email).id)
    db.session.refresh(factor)
    now = int(time.time()) // 30
    step = now if factor.last_used_step is None else max(now, factor.last_used_step + 1)
    assert step <= now + 1, "no unused code left in the accepted window"
    return pyotp.TOTP(second_factor.plain_secret(factor)).generate_otp(step)


def set_up_two_step(client, email: str) -> list[str]:
    """Set up two-step sign-in through the pages; returns the recovery codes shown."""
    client.get(SET_UP)
    response = submit(client, SET_UP, {"code": next_code(email)})
    return RECOVERY_CODE.findall(response.get_data(as_text=True))


def staff_with_two_step(app, email: str = "officer@example.org", *roles: str, **kwargs) -> list[str]:
    staff(email, *(roles or ("officer",)), **kwargs)
    client = app.test_client()
    sign_in_staff(client, email)
    return set_up_two_step(client, email)
