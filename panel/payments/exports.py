"""The payments export of a round (CSV and XLSX): one row per paid member, with their
time, applications scored, pay and whether it is approved, then the totals. Text cells
are escaped against spreadsheet formulas the one way (panel/spreadsheets.py). Making an
export is on the decision trail (``payments.exported``)."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from panel.accounts.models import User
from panel.audit.services import record
from panel.payments import queries
from panel.payments.queries import MemberRecord
from panel.payments.rules import describe
from panel.rounds.models import Round
from panel.spreadsheets import csv_text, escape_frame

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["Name", "Email", "Group", "Chose not to be paid", "Minutes scoring",
           "Applications scored", "Minutes at the meeting", "Corrected by them", "Pay rate",
           "Pay (£)", "Approved", "Approved on"]


@dataclass(frozen=True)
class Totals:
    sheet_minutes: int
    sheets_sent: int
    meeting_minutes: int
    pay: int  # pence, everyone
    approved_pay: int  # pence, approved records only


def totals(records: list[MemberRecord]) -> Totals:
    return Totals(sum(r.work.sheet_minutes for r in records),
                  sum(r.work.sheets_sent for r in records),
                  sum(r.work.meeting_minutes for r in records),
                  sum(shown_pay(r) for r in records),
                  sum(shown_pay(r) for r in records if r.approved))


def shown_pay(found: MemberRecord) -> int:
    """What a record is paid: the amount approved, else what it comes to now."""
    return (found.approval.approved_pence or 0) if found.approved else found.pay


def _pounds(pence: int) -> float:
    return round(pence / 100, 2)


def rows(round_: Round) -> list[list]:
    found = queries.round_records(round_)
    table = []
    for item in found:
        member = item.member
        approved = item.approved
        pay = shown_pay(item)
        table.append([
            member.user.name, member.user.email, member.group.label if member.group else "",
            "yes" if item.declined else "no", item.work.sheet_minutes, item.work.sheets_sent,
            item.work.meeting_minutes, item.corrections, describe(item.rate), _pounds(pay),
            "yes" if approved else "no",
            item.approval.approved_at.date().isoformat() if approved else ""])
    total = totals(found)
    table.append(["Total", "", "", "", total.sheet_minutes, total.sheets_sent,
                  total.meeting_minutes, "", "", _pounds(total.pay), "", ""])
    table.append(["Total approved", "", "", "", "", "", "", "", "",
                  _pounds(total.approved_pay), "", ""])
    return table


def _exported(actor: User, round_: Round, format_: str) -> None:
    record("payments.exported", actor=actor, target=round_, after={"format": format_,
                                                                    "via": "web"})


def payments_csv(actor: User, round_: Round) -> str:
    _exported(actor, round_, "csv")
    return csv_text(COLUMNS, rows(round_))


def payments_xlsx(actor: User, round_: Round) -> bytes:
    _exported(actor, round_, "xlsx")
    buffer = io.BytesIO()
    frame = escape_frame(pd.DataFrame(rows(round_), columns=COLUMNS))
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Payments", index=False)
    return buffer.getvalue()
