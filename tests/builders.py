"""Builders for the people and rounds tests need. They go through the real services,
so everything they create is on the audit trail, and they commit."""
from __future__ import annotations

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.demo import seed as demo
from panel.extensions import db

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
    from panel.rounds.queries import round_by_slug

    return round_by_slug(demo.demo_spec()["slug"])


def sign_in_staff(client, email: str, password: str = PASSWORD):
    from tests.conftest import submit

    return submit(client, "/sign-in/staff", {"email": email, "password": password})


def sign_in_by_link(client, mailbox, email: str):
    from tests.conftest import submit

    submit(client, "/sign-in", {"email": email})
    link = mailbox.last_link(email, "/sign-in/link/")
    return submit(client, link)
