"""Regenerate panel/accounts/data/common-passwords.txt, the blocklist that staff passwords
are checked against (NIST SP 800-63B: "passwords obtained from previous breach corpuses").

The list is the 30,000 most common passwords that the ``zxcvbn`` package (MIT licence)
ships in ``zxcvbn.frequency_lists``; it is not a FairPanel dependency, so install it
anywhere first:

    pip install --target /tmp/zxcvbn zxcvbn==4.5.0
    PYTHONPATH=/tmp/zxcvbn python scripts/common_passwords.py

Entries are lowercased, deduplicated and kept in frequency order, one per line.
"""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

TARGET = Path(__file__).resolve().parent.parent / "panel" / "accounts" / "data" / "common-passwords.txt"


def main() -> None:
    entries = list(dict.fromkeys(p.strip().lower() for p in FREQUENCY_LISTS["passwords"]))
    entries = [entry for entry in entries if entry and not entry.startswith("#")]
    header = [
        f"# The {len(entries):,} most common passwords, lowercase, from zxcvbn {version('zxcvbn')}",
        "# (MIT licence; zxcvbn.frequency_lists). Regenerate with scripts/common_passwords.py.",
    ]
    TARGET.write_text("\n".join(header + entries) + "\n", encoding="utf-8")
    print(f"Wrote {len(entries):,} passwords to {TARGET}")


if __name__ == "__main__":
    main()
