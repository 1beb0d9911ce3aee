"""Which staff passwords FairPanel accepts: NIST SP 800-63B revision 4, section 3.1.1.2.

The rule, everywhere a staff password is chosen (invitation, change of password, the
demo and the command line all go through :func:`problems`):

- **At least 15 characters.** Rev. 4 says a password that is the only factor SHALL be at
  least 15 characters, and one that is only ever part of multi-factor authentication at
  least 8. A FairPanel staff password is a single factor whenever ``TOTP_REQUIRED`` is off,
  and is chosen before any second factor is set up, so one rule holds for everybody: 15.
  A few ordinary words reach it easily ("correct horse battery staple").
- **At most 128 characters.** Rev. 4: verifiers SHOULD permit at least 64.
- **Any printable character,** letters of any script, spaces and emoji included, counted
  after Unicode NFKC normalisation (rev. 4 SHOULD normalise; the hash is of the same
  form). Only control characters are refused, since no keyboard types them on purpose.
- **No composition rules** (no "one digit, one capital": rev. 4 SHALL NOT) and no
  password hints (SHALL NOT).
- **Refused** (rev. 4 SHALL check a blocklist of "commonly-used, expected, or compromised"
  values, including context-specific words): anything on the list of 30,000 common
  passwords shipped in ``data/common-passwords.txt``, compared case-insensitively, with
  spaces and ``-_.`` ignored, or such a password repeated; the person's e-mail address,
  the part before the @, or their name; one character repeated.

Messages say what to change, in plain words.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 15
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

# In the reader's language (lazy: str() them where they are shown).
HINT = _l("At least %(least)d characters. A few unrelated words make a good one. "
          "Spaces and any characters are fine.", least=MIN_LENGTH)
TOO_SHORT = _l("Your password must be at least %(least)d characters. "
               "Try adding another word or two", least=MIN_LENGTH)
TOO_LONG = _l("Your password must be %(most)d characters or fewer", most=MAX_LENGTH)
CONTROL = _l("Your password can only use letters, numbers, spaces and symbols you can type")
COMMON = _l("That password is on a list of common passwords that attackers try first. "
            "Choose one that is harder to guess")
PERSONAL = _l("Your password must not be your email address or your name")
REPEATED = _l("Your password must not be one character repeated")

_IGNORED = re.compile(r"[\s\-_.]+")


def normalise(password: str) -> str:
    """The form that is measured and hashed: NIST asks for NFKC or NFKD."""
    return unicodedata.normalize("NFKC", password)


def problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """What is wrong with ``password`` for the person with ``email`` and ``name``:
    an empty list when it is acceptable. Checks nothing in the database."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return [str(TOO_SHORT)]
    if len(password) > MAX_LENGTH:
        return [str(TOO_LONG)]
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in password):
        return [str(CONTROL)]
    if len(set(password)) == 1:
        return [str(REPEATED)]
    folded = password.casefold()
    squashed = _IGNORED.sub("", folded)
    if _personal(folded, squashed, email, name):
        return [str(PERSONAL)]
    if _common(folded) or _common(squashed) or _repeats_a_common_one(squashed):
        return [str(COMMON)]
    return []


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped blocklist (lowercase, one a line; ``#`` starts a comment line)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _common(candidate: str) -> bool:
    return candidate in common_passwords()


def _repeats_a_common_one(squashed: str) -> bool:
    """"passwordpassword", "iloveyou iloveyou": a common password said several times."""
    for times in range(2, len(squashed) // 3 + 1):
        unit, remainder = divmod(len(squashed), times)
        if not remainder and squashed[:unit] * times == squashed and _common(squashed[:unit]):
            return True
    return False


def _personal(folded: str, squashed: str, email: str, name: str) -> bool:
    email = email.strip().casefold()
    name = normalise(name).strip().casefold()
    own = {email, email.partition("@")[0], name, _IGNORED.sub("", name)} - {""}
    return folded in own or squashed in own
