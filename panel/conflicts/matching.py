"""Matching a panellist's connections against an application's hidden identifying fields
(DESIGN.md §5). Pure functions: no Flask, no database, so they are easy to test.

A connection is free text typed by the panellist: an organisation ("Eastgate Food Club"),
a person ("Dr Helen Marsh"), an initialism ("NHFC"), a web or e-mail domain
("eastgatefoodclub.example", "jo@eastgatefoodclub.example") or a phone number. Names are
compared after :func:`normalise_name` takes away what people write differently (case,
accents, punctuation, "&", a leading "The", "Friends of", legal words like CIC or Ltd,
common abbreviations). Names written together ("Foodbank"), a place and an initialism
("Dudley CVS"), everyday short forms ("Utd", "Rep") and people's names as written
(nicknames, short forms, spellings, titles, surname first) are read too; docs/rules.md
lists the rules. A match names the field it matched and why ("nickname of Joanne",
"CVS: initials of Council for Voluntary Service"); both are for officers only, never for
the panellist.

The rules lean towards precision: a suggestion the officer has to dismiss costs a minute,
but generic words ("community", "health", "centre") alone, a place name alone, or a
webmail domain must never raise one.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName
from nameparser.config import CONSTANTS
from nicknames import NickNamer

PERSON_FIELDS = frozenset({"applicant_name"})
EMAIL_FIELDS = frozenset({"contact_email"})

ABBREVIATIONS = {
    "st": "saint", "assoc": "association", "assn": "association", "dept": "department",
    "univ": "university", "uni": "university", "ctr": "centre", "cntr": "centre",
    "center": "centre", "ltd": "limited", "co": "company", "grp": "group", "intl": "international",
    "natl": "national", "soc": "society", "mt": "mount", "rd": "road", "hosp": "hospital",
    # Everyday short forms in community life (no well-kept list of these exists; this is
    # our own, kept small): "Bilston Utd", "Birmingham Rep", "Tipton Meth. Church".
    "utd": "united", "yth": "youth", "comm": "community", "gdns": "gardens",
    "meth": "methodist", "rep": "repertory", "vol": "voluntary", "bapt": "baptist",
    "cath": "catholic",
}
# Initialisms community groups are widely known by, with what they stand for (our own
# small list: no well-kept one exists). A place and one of these match the full name
# ("Dudley CVS" ~ "Dudley Council for Voluntary Service"). Any other initialism of three
# letters or fewer could stand for too many things ("Levenshulme ABC": a boxing club or
# a befriending centre?), so it only counts when it has four letters or more.
KNOWN_INITIALISMS = {
    "cvs": ("council for voluntary service", "council for voluntary services"),
    "fc": ("football club",), "afc": ("athletic football club", "association football club"),
    "rfc": ("rugby football club",), "rufc": ("rugby union football club",),
    "rlfc": ("rugby league football club",), "cc": ("cricket club",),
    "pc": ("parish council",), "tc": ("town council",),
    "pcc": ("parochial church council", "parish church council"),
    "wi": ("womens institute",), "ra": ("residents association",),
    "tra": ("tenants and residents association", "tenants residents association"),
    "ta": ("tenants association",), "pta": ("parent teacher association",),
    "ccg": ("clinical commissioning group",), "cdt": ("community development trust",),
    "bme": ("black and minority ethnic",), "bame": ("black asian and minority ethnic",),
    "rbl": ("royal british legion",), "svp": ("saint vincent de paul society",
                                             "saint vincent de paul"),
    "ymca": ("young mens christian association",),
    "ywca": ("young womens christian association",), "cab": ("citizens advice bureau",),
}
# Initialisms written in capitals that are not simply the initials of their words, or
# are too short or common to be read as initials safely; also our own small list.
INITIALISMS = {
    "U3A": "University of the Third Age",
    "C of E": "Church of England", "CofE": "Church of England", "C.E.": "Church of England",
}
_WRITTEN_OUT = frozenset(k.lower() for k in INITIALISMS)
_INITIALISM = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in INITIALISMS)
                         + r")(?![\w.])")
# Words an organisation's name may end with, or drop, without being another organisation.
LEGAL_WORDS = frozenset({
    "trust", "cic", "limited", "llp", "plc", "inc", "charity", "charitable", "association",
    "society", "foundation", "project", "group", "company", "cio", "partnership",
    "incorporated",
})
COMMUNITY_INTEREST_COMPANY = ("community", "interest", "company")
STOPWORDS = frozenset({"the", "of", "and", "for", "in", "at", "on", "a", "an", "to", "with"})
# Words too common to identify anyone on their own (places are handled by requiring two).
GENERIC_WORDS = frozenset({
    "community", "communities", "health", "healthcare", "centre", "centres", "church", "school",
    "college", "university", "department", "council", "service", "services", "support",
    "network", "project", "projects", "group", "groups", "club", "clubs", "arts", "art",
    "local", "care", "carers", "people", "youth", "society", "association", "foundation",
    "trust", "charity", "friends", "new", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "city", "town", "village", "hall", "house", "home",
    "public", "social", "national", "international", "institute", "unit", "hospital",
    "hospitals", "nhs", "food", "family", "families", "advice", "action", "voluntary",
    "volunteers", "volunteer", "sciences", "science", "studies", "faculty", "saint",
    "limited", "cic", "company", "team", "forum", "hub", "space", "place", "together",
    "common", "open", "free", "green", "united", "wellbeing", "mental", "research", "learning",
    "education", "sport", "sports", "music", "womens", "mens", "children", "childrens",
    "older", "young", "programme", "partnership", "alliance", "collective",
})
TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame",
                    "rev", "revd", "reverend", "cllr", "councillor", "lady", "lord"})
WEBMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "live.co.uk", "msn.com", "btinternet.com", "btopenworld.com", "icloud.com", "me.com",
    "mac.com", "aol.com", "aol.co.uk", "protonmail.com", "proton.me", "pm.me", "sky.com",
    "virginmedia.com", "ntlworld.com", "talktalk.net", "tiscali.co.uk", "mail.com",
    "gmx.com", "gmx.co.uk", "zoho.com", "fastmail.com", "ymail.com", "rocketmail.com",
})
WEBMAIL_PROVIDERS = frozenset({"yahoo", "hotmail", "outlook", "live", "gmx", "aol"})
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/?$")
_EMAIL = re.compile(r"^[^@\s]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$")
_PHONE_CHARS = re.compile(r"^[+\d\s().-]+$")
# Matching a panel against a round reads the same few thousand names again and again:
# the pure helpers below remember their answers (never mutate what they return).
_remembered = lru_cache(maxsize=100_000)
# Sector-wide e-mail domains: everyone in the NHS, central and local government or a
# university shares them, so, like webmail, they never match two people on their own.
SHARED_DOMAINS = frozenset({"nhs.net", "nhs.uk", "gov.uk", "ac.uk", "sch.uk", "police.uk",
                            "org.uk", "co.uk", "org", "com", "net", "gov.scot",
                            "gov.wales", "llyw.cymru", "mod.uk", "parliament.uk",
                            "gcsx.gov.uk", "nhs.scot", "hscni.net", "wales.nhs.uk",
                            "cjsm.net", "gsi.gov.uk", "pnn.police.uk"})
_NICKNAMES = NickNamer()


@dataclass(frozen=True)
class Match:
    """``affiliation`` (as typed) matched identifying ``field``; ``reason`` says how."""

    affiliation: str
    field: str
    reason: str


# ---------------------------------------------------------------------------- names

def _ascii_lower(text: str) -> str:
    return _ascii_text(text).lower()


@_remembered
def words(text: str) -> list[str]:
    """Lower-case ASCII words, "&" read as "and", apostrophes dropped ("Mary's" → marys),
    abbreviations written out ("St" → saint)."""
    text = _INITIALISM.sub(lambda found: f" {INITIALISMS[found.group(1)]} ", text)
    text = _ascii_lower(text).replace("&", " and ").replace("+", " and ")
    text = re.sub(r"['’`]", "", text)
    tokens = re.findall(r"[a-z0-9]+", text)
    return [ABBREVIATIONS.get(token, token) for token in tokens]


def _strip_legal(tokens: list[str]) -> list[str]:
    tokens = list(tokens)
    if tokens[:1] == ["the"]:
        tokens = tokens[1:]
    if tokens[:2] == ["friends", "of"] and len(tokens) > 2:
        tokens = tokens[2:]
    if tokens[:1] == ["the"]:
        tokens = tokens[1:]
    while len(tokens) > 1:
        if tuple(tokens[-3:]) == COMMUNITY_INTEREST_COMPANY and len(tokens) > 3:
            tokens = tokens[:-3]
        elif tokens[-1] in LEGAL_WORDS:
            tokens = tokens[:-1]
        else:
            break
    return tokens


def normalise_name(text: str) -> str:
    """The comparable form of an organisation's name:
    ``"The Friends of St Mary's Church Trust"`` → ``"saint marys church"``."""
    return " ".join(_strip_legal(words(text)))


def stem(word: str) -> str:
    """A plural read as its singular ("allotments", "patients"); "ss" stays ("access")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@_remembered
def core_words(text: str) -> frozenset[str]:
    """The words that name the organisation, singular and in any order ("University of
    Westmoor" and "Westmoor University" have the same)."""
    return frozenset(stem(t) for t in _strip_legal(words(text)) if t not in STOPWORDS)


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS | LEGAL_WORDS | STOPWORDS)


def significant(tokens: Iterable[str]) -> set[str]:
    """Words that can tell one organisation from another."""
    return {t for t in tokens if _telling_word(t)}


@lru_cache(maxsize=200_000)
def _telling_word(word: str) -> bool:
    return len(word) >= 2 and stem(word) not in _GENERIC_STEMS


@_remembered
def initials(text: str) -> set[str]:
    """Initialisms the name is likely to be known by: of its core words, and of every
    word but "of/the/and" ("Northfield Health Food Club CIC" → nhfc, nhfcc)."""
    everything = [t for t in words(text) if t not in STOPWORDS]
    core = [t for t in _strip_legal(words(text)) if t not in STOPWORDS]
    found = {"".join(t[0] for t in tokens) for tokens in (everything, core) if len(tokens) >= 3}
    caps = capitals(text)
    if caps:  # "Tower Hamlets CVS" → thcvs
        found |= {"".join(t if t in caps else t[0] for t in tokens)
                  for tokens in (everything, core) if len(tokens) >= 3}
    return found


@_remembered
def _looks_like_initialism(text: str) -> str | None:
    stripped = re.sub(r"[.\s]", "", text.strip())
    if not stripped.isalpha() or not 3 <= len(stripped) <= 6:
        return None
    # "NHFC" or "N.H.F.C." as typed; lower-case words of up to 4 letters are read as
    # initialisms too ("nhfc"), longer lower-case words are ordinary words ("bloom").
    if stripped.isupper() or "." in text or len(stripped) <= 4:
        return stripped.lower()
    return None


@_remembered
def capitals(text: str) -> frozenset[str]:
    """Words typed as an initialism, lower-cased: two to six capitals ("CVS", "WI"),
    dotted ("C.V.S."), or a known one of three letters or more in any case ("dudley cvs")."""
    found = {t.replace(".", "").lower()
             for t in re.findall(r"\b(?:[A-Z]\.){2,6}|\b[A-Z][A-Z0-9]{1,5}\b",
                                 _ascii_text(text))}
    found |= {t for t in words(text) if len(t) >= 3 and t in KNOWN_INITIALISMS}
    return frozenset(t for t in found if t.isalpha() and t not in _WRITTEN_OUT)


def _ascii_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _letters(tokens: Iterable[str], skip: frozenset[str]) -> str:
    return "".join(t[0] for t in tokens if t not in skip)


# Words an initialism may leave out ("GATE": Gypsy and Traveller Exchange keeps "and";
# "SVP": St Vincent de Paul drops "de").
_PARTICLES = frozenset({"de", "du", "la", "le", "van", "von", "da", "der"})


@_remembered
def _runs(text: str) -> tuple[tuple[str, int, int], ...]:
    """(initials, start, end) of every run of two to seven of the name's words that an
    initialism could stand for, with and without the small words."""
    tokens = words(text)
    found = []
    for start in range(len(tokens)):
        if tokens[start] in STOPWORDS or tokens[start] in _PARTICLES:
            continue
        for end in range(start + 2, min(len(tokens), start + 7) + 1):
            run = tokens[start:end]
            if run[-1] in STOPWORDS or run[-1] in _PARTICLES:
                continue
            for letters in {_letters(run, STOPWORDS | _PARTICLES), _letters(run, frozenset())}:
                if len(letters) >= 2:
                    found.append((letters, start, end))
    return tuple(found)


def _expand(caps: frozenset[str], text: str) -> tuple[list[str], str | None]:
    """``text``'s words with the first run that one of ``caps`` (the other side's
    initialisms) stands for replaced by that initialism ("Dudley Council for Voluntary
    Service" and "CVS" → dudley cvs), and a note saying so."""
    tokens = words(text)
    if not caps:
        return tokens, None
    for letters in sorted(caps & KNOWN_INITIALISMS.keys() - set(tokens)):
        for expansion in sorted(KNOWN_INITIALISMS[letters], key=len, reverse=True):
            run = expansion.split()
            for start in range(len(tokens) - len(run) + 1):
                if tokens[start:start + len(run)] == run:
                    return _replaced(tokens, start, start + len(run), letters)
    for letters, start, end in _runs(text):
        if letters in caps and letters not in tokens and len(letters) >= 4 \
                and letters not in KNOWN_INITIALISMS:
            return _replaced(tokens, start, end, letters)
    return tokens, None


def _replaced(tokens: list[str], start: int, end: int, letters: str
              ) -> tuple[list[str], str]:
    full = " ".join(w.title() if w not in STOPWORDS else w for w in tokens[start:end])
    return tokens[:start] + [letters] + tokens[end:], f"{letters.upper()}: initials of {full}"


def _sequence(tokens: list[str]) -> list[str]:
    return list(_stems(tuple(tokens)))


@_remembered
def _stems(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(t) for t in _strip_legal(list(tokens)))


@_remembered
def _joins(seq: tuple[str, ...]) -> frozenset[str]:
    return frozenset("".join(seq[i:i + n]) for n in (2, 3) for i in range(len(seq) - n + 1))


def _join(ours: list[str], theirs: set[str]) -> tuple[list[str], list[str]]:
    """``ours`` with any two or three neighbouring words written as one word of
    ``theirs`` joined ("food", "bank" → foodbank), and the words joined."""
    if _joins(tuple(ours)).isdisjoint(theirs):
        return ours, []
    joined, notes, i = [], [], 0
    while i < len(ours):
        for n in (3, 2):
            if i + n <= len(ours) and "".join(ours[i:i + n]) in theirs \
                    and "".join(ours[i:i + n]) not in ours:
                joined.append("".join(ours[i:i + n]))
                notes.append(" ".join(ours[i:i + n]))
                i += n
                break
        else:
            joined.append(ours[i])
            i += 1
    return joined, notes


def _together(seq: list[str], words_: set[str]) -> bool:
    """``words_`` stand side by side in ``seq`` (in any order): one block of the name,
    not words picked out of it ("Kings Heath Tennis Club" is not in "Kings Heath Table
    Tennis Club")."""
    places = [i for i, word in enumerate(seq) if word in words_]
    return bool(places) and places[-1] - places[0] + 1 == len(places)


def _compare(ours: list[str], theirs: list[str]) -> str | None:
    mine = [t for t in ours if t not in STOPWORDS]
    yours = [t for t in theirs if t not in STOPWORDS]
    a, b = set(mine), set(yours)
    if not a or not b:
        return None
    if a == b:
        return "same name, once common words are ignored" if significant(a) else None
    if len(significant(a)) >= 2 and a < b and _together(yours, a):
        return "the connection's name is part of this name"
    if len(significant(b)) >= 2 and b < a and _together(mine, b):
        return "this name is part of the connection"
    return None


@_remembered
def _name_match(affiliation: str, value: str) -> str | None:
    """Why organisation name ``affiliation`` matches ``value``, or None."""
    for expand_ours in (False, True):
        if expand_ours:  # "Dudley Council for Voluntary Service" ~ "Dudley CVS"
            theirs_words = words(value)
            ours_words, initialism = _expand(capitals(value), affiliation)
        else:  # "Dudley CVS" ~ "Dudley Council for Voluntary Service"
            ours_words = words(affiliation)
            theirs_words, initialism = _expand(capitals(affiliation), value)
        if expand_ours and initialism is None:
            continue
        ours, theirs = _sequence(ours_words), _sequence(theirs_words)
        ours, ours_joined = _join(ours, set(theirs))
        theirs, theirs_joined = _join(theirs, set(ours))
        reason = _compare(ours, theirs)
        if reason is None:
            continue
        letters = initialism.split(":")[0].lower() if initialism else None
        if letters and not significant(set(ours) & set(theirs) - {letters}):
            continue  # a place or a distinctive word as well as the initialism
        notes = [initialism] if initialism else []
        notes += [f"same words written together ({', '.join(ours_joined + theirs_joined)})"]\
            if ours_joined or theirs_joined else []
        return f"{reason}; {'; '.join(notes)}" if notes else reason
    acronym = _looks_like_initialism(affiliation)
    if acronym and acronym in initials(value):
        return "initials of this name"
    acronym = _looks_like_initialism(value)
    if acronym and acronym in initials(affiliation):
        return "initials of the connection's name"
    return None


@_remembered
def _parts(value: str) -> list[str]:
    """An organisation field may name several bodies: "Department of Public Health,
    University of Westmoor"."""
    pieces = [p.strip() for p in re.split(r"[,;/]| - | – ", value) if p.strip()]
    return [value] + pieces if len(pieces) > 1 else [value]


# ---------------------------------------------------------------------------- people

# Titles and honours come from nameparser's lists (Canon, Imam, Pastor, Sister, Cllr, ...;
# MBE, OBE, PhD, ...); they are taken off the ends of a name only, never from its middle.
_NAME_TITLES = TITLES | frozenset(CONSTANTS.titles)
_NAME_SUFFIXES = frozenset(CONSTANTS.suffix_acronyms) | frozenset(CONSTANTS.suffix_not_acronyms)


@_remembered
def person_words(text: str) -> list[str]:
    """A person's name without titles or honours, given names first: "Dr Helen J. Marsh"
    → [helen, j, marsh]; "Patel, Priya" → [priya, patel] (nameparser reads the comma);
    "Rev. Canon Dr Judith Amos MBE" → [judith, amos]; "O Connor" → oconnor; a hyphen or
    space inside given names is kept as separate words."""
    if "," in text and "@" not in text:
        name = HumanName(text)
        if name.first and name.last:
            text = " ".join(p for p in (name.first, name.middle, name.last) if p)
    tokens = words(text)
    while len(tokens) > 2 and tokens[-1] in _NAME_SUFFIXES:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[0] in _NAME_TITLES:
        tokens = tokens[1:]
    tokens = [t for t in tokens if t not in TITLES]
    for i in range(len(tokens) - 2, 0, -1):  # "Siobhan O Connor" as "O'Connor"
        if tokens[i] == "o":
            tokens[i:i + 2] = ["o" + tokens[i + 1]]
    return tokens


_DIMINUTIVE = ("ie", "y", "ee", "i")


def _spelling(name: str) -> str:
    """How a given name sounds, roughly: "Stephen"/"Steven", "Catherine"/"Katherine",
    "Mohammed"/"Muhammad", "Ann"/"Anne" alike; a last vowel other than a silent "e" is
    kept, so "Paul"/"Paula" and "Patrick"/"Patricia" stay apart."""
    name = name.removesuffix("e")
    last = name[-1] if name[-1] in "aiouy" else ""
    body = name[0] + re.sub(r"[aeiouy]", "", name[1:].replace("ph", "f").replace("ch", "k"))
    body = body.replace("v", "f").replace("c", "k").replace("q", "k")
    return re.sub(r"(.)\1+", r"\1", body) + last.upper()


def _nickname(short: str, long: str) -> str | None:
    """Why ``short`` is a familiar form of the full given name ``long``, or None."""
    known = _NICKNAMES.canonicals_of(short)
    if long in known:
        # A familiar form ("Jimmy"/"James", "Debbie"/"Deborah"), not a name of its own
        # a letter shorter ("Emma"/"Emily" are in the list as each other's nicknames).
        if len(long) - len(short) >= 2 or short.endswith(_DIMINUTIVE) \
                or (long[:2] == short[:2] and not _NICKNAMES.nicknames_of(short)):
            return f"nickname of {long.title()}"
        return None
    # Through another nickname, when the list also has a longer form of this one for the
    # full name: "Tash" (Tasha) of "Natasha"; "Nell" (Ellen, Nelly) of "Eleanor".
    theirs = _NICKNAMES.nicknames_of(long)
    between = sorted(known & theirs)
    longer = sorted(name for name in theirs if name.startswith(short) and name != short)
    if between and longer and len(short) >= 4:
        return f"nickname of {long.title()} (as {longer[0].title()})"
    if known or len(long) - len(short) < 2:
        return None
    if long.startswith(short) or (short.endswith("z") and 3 <= len(short) <= 4
                                  and long.startswith(short[:-1])):
        # "Kath"/"Kathleen", "Raj"/"Rajesh", "Mo"/"Mohammed", "Baz"/"Barry"
        return f"short form of {long.title()}"
    if len(short) >= 4 and len(long) - len(short) >= 3 and long.endswith(short):
        return f"short form of {long.title()}"  # "Tunde"/"Babatunde"
    return None


def _given_match(ours: list[str], theirs: list[str]) -> str | None:
    """Why given names ``ours`` (all words but the surname) match ``theirs``."""
    mine, yours = ours[0], theirs[0]
    if mine == yours and len(mine) >= 2:
        return "same first and last name"
    if "".join(ours) == "".join(theirs) or (len(ours) > 1 and "".join(ours[:2]) == yours) \
            or (len(theirs) > 1 and "".join(theirs[:2]) == mine):
        return "same first and last name, written with a hyphen or space"
    if (len(mine) == 1 and yours.startswith(mine)) or (len(yours) == 1
                                                        and mine.startswith(yours)):
        return "same initial and last name"
    if len(mine) < 2 or len(yours) < 2:
        return None
    if len(mine) >= 3 and len(yours) >= 3 and _spelling(mine) == _spelling(yours):
        return f"same name spelt differently ({mine.title()}, {yours.title()})"
    if len(mine) == len(yours):  # "Jimmy"/"James": the familiar form ends -y or -ie
        short, long = (mine, yours) if mine.endswith(_DIMINUTIVE) else (yours, mine)
    else:
        short, long = sorted((mine, yours), key=len)
    return _nickname(short, long)


@_remembered
def _person_match(affiliation: str, value: str) -> str | None:
    ours, theirs = person_words(affiliation), person_words(value)
    if len(ours) < 2 or len(theirs) < 2 or len(ours) > 4 or any(t.isdigit() for t in ours):
        return None
    if ours[-1] != theirs[-1]:
        # One of a double-barrelled surname, with the very same given name (two near
        # things do not make a match): "Ngozi Eze-Okafor" ~ "Ngozi Eze"
        if len(ours) == 3 and len(theirs) == 2 and ours[-2] == theirs[-1] \
                and _hyphenated(affiliation, ours) and ours[0] == theirs[0]:
            return "same first name and one of a double-barrelled surname"
        if len(theirs) == 3 and len(ours) == 2 and theirs[-2] == ours[-1] \
                and _hyphenated(value, theirs) and ours[0] == theirs[0]:
            return "same first name and one of a double-barrelled surname"
        return None
    if len(ours[-1]) < 2:
        return None
    return _given_match(ours[:-1], theirs[:-1])


def _hyphenated(text: str, tokens: list[str]) -> bool:
    """The last two of ``tokens`` were written as one double-barrelled surname."""
    return re.search(rf"{tokens[-2]}\s*-\s*{tokens[-1]}\b", _ascii_lower(text)) is not None


# ---------------------------------------------------------------------------- e-mail

def is_webmail(domain: str) -> bool:
    domain = domain.lower()
    return domain in WEBMAIL_DOMAINS or domain.split(".")[0] in WEBMAIL_PROVIDERS


def is_shared(domain: str) -> bool:
    """A domain a whole sector writes from (nhs.net, x.gov.uk, any ac.uk's top level)."""
    domain = domain.lower()
    # A local authority's schools share "<authority>.sch.uk".
    return domain in SHARED_DOMAINS or (domain.endswith(".sch.uk") and domain.count(".") <= 2)


@_remembered
def domain_of(text: str) -> str | None:
    """The domain of an e-mail address, web address or bare domain; None otherwise."""
    text = text.strip().lower()
    found = _EMAIL.match(text) or _DOMAIN.match(text)
    return found.group(1) if found else None


def _same_domain(ours: str, theirs: str) -> bool:
    return ours == theirs or theirs.endswith("." + ours) or ours.endswith("." + theirs)


def _email_match(affiliation: str, email: str) -> str | None:
    email = email.strip().lower()
    theirs = domain_of(email) if "@" in email else None
    if theirs is None:
        return None
    if affiliation.strip().lower() == email:
        return "same e-mail address"
    return _domain_match(affiliation, theirs)


@_remembered
def _domain_match(affiliation: str, theirs: str) -> str | None:
    """Why ``affiliation`` matches an e-mail address at domain ``theirs`` (a whole
    council's or university's staff share one, so the answer is remembered)."""
    ours = domain_of(affiliation)
    if ours is not None:
        if is_webmail(ours) or is_webmail(theirs) or not _same_domain(ours, theirs):
            return None
        if is_shared(ours) or is_shared(theirs):
            return None  # nhs.net, gov.uk, ac.uk: a sector, not an organisation
        return "same e-mail domain"
    # "Eastgate Food Club" and jo@eastgatefoodclub.example
    label = theirs.removeprefix("www.").split(".")[0].replace("-", "")
    squashed = {"".join(words(affiliation)), "".join(_strip_legal(words(affiliation)))}
    if not is_webmail(theirs) and len(label) >= 8 and label in squashed:
        return "the connection's name is this e-mail domain"
    return None


# ---------------------------------------------------------------------------- phones

@_remembered
def _digits(text: str) -> str | None:
    if not _PHONE_CHARS.match(text.strip()):
        return None
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else None


# ---------------------------------------------------------------------------- entry

def match_value(affiliation: str, field: str, value: str) -> str | None:
    """Why ``affiliation`` matches one identifying field's ``value``, or None."""
    affiliation, value = affiliation.strip(), str(value or "").strip()
    if not affiliation or not value:
        return None
    if field in EMAIL_FIELDS or "@" in value:
        return _email_match(affiliation, value)
    phone = _digits(value)
    if phone is not None:
        return "same phone number" if _digits(affiliation) == phone else None
    if field in PERSON_FIELDS:
        return _person_match(affiliation, value)
    for part in _parts(value):
        reason = _name_match(affiliation, part)
        if reason:
            return reason
    # An identifying extra column may hold a person's name ("lead_contact").
    return None if field == "organisation" else _person_match(affiliation, value)


def match_fields(affiliations: Iterable[str], fields: Mapping[str, object],
                 only: set[tuple[str, str]] | None = None) -> list[Match]:
    """Every (affiliation, field) pair that matches, in the order given: ``fields`` maps
    identifying field names (applicant_name, organisation, contact_email and the round's
    identifying extra columns) to the application's values. ``only``: the (affiliation,
    field) pairs worth checking, from :meth:`Candidates.pairs` (the others cannot match)."""
    if only is not None and len(only) == 1:  # the usual candidate: one pair to check
        [(affiliation, field)] = only
        if field not in fields:
            return []
        reason = match_value(affiliation, field, str(fields[field] or ""))
        if not reason:
            return []
        times = sum(1 for typed in affiliations if typed.strip() == affiliation)
        return [Match(affiliation, field, reason)] * times
    found = []
    for affiliation in affiliations:
        if only is not None:
            affiliation = affiliation.strip()
            asked = [field for field in fields if (affiliation, field) in only]
        else:
            asked = fields
        for field in asked:
            reason = match_value(affiliation, field, str(fields[field] or ""))
            if reason:
                found.append(Match(affiliation.strip(), field, reason))
    return found


# ---------------------------------------------------------------------------- many at once

class Candidates:
    """Which of many applications' fields an affiliation *could* match, found by looking
    up the words, initials, domains, phone numbers and surnames that every rule above
    needs the two sides to share. It never misses a match (each rule is covered by one
    kind of key below), so :func:`match_fields` need only be run on the candidates:
    matching 2,000 people against 20,000 applications then checks a few hundred thousand
    (connection, field) pairs instead of 160 million, with exactly the same answers."""

    def __init__(self, applications: Mapping[int, Mapping[str, object]]) -> None:
        # key -> field -> applications with that key in that field
        self.index: dict[str, dict[str, set[int]]] = {}
        for key, fields in applications.items():
            for field, value in fields.items():
                for found in _value_keys(field, str(value or "").strip()):
                    self.index.setdefault(found, {}).setdefault(field, set()).add(key)

    def pairs(self, affiliations: Iterable[str]) -> dict[int, set[tuple[str, str]]]:
        """For each application some affiliation may match, the (affiliation, field)
        pairs worth checking (affiliations stripped, as :class:`Match` gives them)."""
        found: defaultdict[int, set[tuple[str, str]]] = defaultdict(set)
        for affiliation in affiliations:
            affiliation = affiliation.strip()
            for key in _affiliation_keys(affiliation):
                for field, applications in self.index.get(key, {}).items():
                    pair = (affiliation, field)
                    for application in applications:
                        found[application].add(pair)
        return dict(found)

    def of(self, affiliations: Iterable[str]) -> set[int]:
        """Keys of the applications some affiliation may match."""
        return set(self.pairs(affiliations))


def _dotted_suffixes(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def _value_keys(field: str, value: str) -> set[str]:
    """The keys under which an application's field can be matched: the branches of
    :func:`match_value`, in its order (each returns without trying the next)."""
    if not value:
        return set()
    if field in EMAIL_FIELDS or "@" in value:
        email = value.lower()
        theirs = domain_of(email) if "@" in email else None
        if theirs is None:
            return set()
        label = theirs.removeprefix("www.").split(".")[0].replace("-", "")
        return ({f"address:{email}", f"domain:{theirs}", f"label:{label}"}
                | {f"under:{suffix}" for suffix in _dotted_suffixes(theirs)})
    phone = _digits(value)
    if phone is not None:
        return {f"phone:{phone}"}
    keys = _surname_keys(value) if field != "organisation" else set()
    if field in PERSON_FIELDS:
        return keys
    for part in _parts(value):
        keys |= _name_keys(part, value_side=True)
        keys |= {f"initials:{letters}" for letters in initials(part)}
        acronym = _looks_like_initialism(part)
        if acronym:
            keys.add(f"acronym:{acronym}")
    return keys


@_remembered
def _telling(text: str) -> tuple[tuple[str, int, int], ...]:
    """The words that can tell ``text`` apart, as (word, start, end) in :func:`words`'s
    positions, with any two or three neighbours written as one ("foodbank")."""
    tokens = words(text)
    kept = _strip_legal(tokens)
    start = next((i for i in range(len(tokens)) if tokens[i:i + len(kept)] == kept), 0)
    seq = [stem(t) for t in kept]
    found = [(t, start + i, start + i + 1) for i, t in enumerate(seq)
             if t not in STOPWORDS and significant([t])]
    found += [("".join(seq[i:i + n]), start + i, start + i + n)
              for n in (2, 3) for i in range(len(seq) - n + 1)
              if significant(["".join(seq[i:i + n])])]
    return tuple(found)


@_remembered
def _run_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """The initialisms a run of ``text``'s words could be written as, where (see
    :func:`_expand`)."""
    tokens = words(text)
    spaced = f" {' '.join(tokens)} "
    found = []
    for letters, expansions in KNOWN_INITIALISMS.items():
        for expansion in expansions:
            if f" {expansion} " not in spaced:
                continue
            run = expansion.split()
            found += [(letters, i, i + len(run)) for i in range(len(tokens) - len(run) + 1)
                      if tokens[i:i + len(run)] == run]
    return tuple(found + [(letters, start, end) for letters, start, end in _runs(text)
                          if len(letters) >= 4 and letters not in KNOWN_INITIALISMS])


@_remembered
def _name_keys(text: str, *, value_side: bool) -> frozenset[str]:
    """Keys for the name rules of :func:`_name_match`: every rule needs two telling words
    in common (``pair``; never two that overlap, like "food" and "foodbank"), or the one
    telling word of a name (``one``), or a place or telling word as well as an
    initialism that one side typed and the other wrote out (``cap``/``run``). Pairs of
    words, not single words, keep the candidates few: "Jo" or "Dudley" alone would bring
    thousands."""
    telling = _telling(text)
    keys = {f"pair:{min(u, v)}|{max(u, v)}"
            for i, (u, u0, u1) in enumerate(telling) for v, v0, v1 in telling[i + 1:]
            if u1 <= v0 or v1 <= u0}
    single = [(w, a, b) for w, a, b in telling if b - a == 1]
    if single:
        first, last = min(a for _, a, _ in single), max(b for _, _, b in single)
        keys |= {f"one:{w}" for w, a, b in telling if a <= first and b >= last}
        if len({w for w, _, _ in single}) == 1:  # a word repeated ("Bolton, Bolton")
            keys.add(f"one:{single[0][0]}")
    typed, written = ("cap", "run") if value_side else ("run", "cap")
    keys |= {f"{typed}:{letters}|{w}" for letters in capitals(text) for w, _, _ in telling}
    keys |= {f"{written}:{letters}|{w}" for letters, start, end in _run_spans(text)
             for w, a, b in telling if b <= start or a >= end}
    return frozenset(keys)


def _surname_keys(text: str) -> set[str]:
    """A person's surname, and each part of a double-barrelled one."""
    tokens = person_words(text)
    return {f"surname:{t}" for t in tokens[-2:] if t} if len(tokens) > 2 \
        else {f"surname:{t}" for t in tokens[-1:]}


def _affiliation_keys(affiliation: str) -> set[str]:
    if not affiliation:
        return set()
    keys = {f"address:{affiliation.lower()}"}
    ours = domain_of(affiliation)
    if ours is not None and not is_webmail(ours) and not is_shared(ours):
        # Same domain, theirs under ours, or ours under theirs (never a webmail or
        # sector-wide one: those match nothing on their own).
        keys |= {f"under:{ours}"} | {f"domain:{s}" for s in _dotted_suffixes(ours)
                                     if not is_webmail(s) and not is_shared(s)}
    keys |= {f"label:{squashed}" for squashed in
             ("".join(words(affiliation)), "".join(_strip_legal(words(affiliation))))}
    phone = _digits(affiliation)
    if phone is not None:
        keys.add(f"phone:{phone}")
    keys |= _surname_keys(affiliation)
    keys |= _name_keys(affiliation, value_side=False)
    acronym = _looks_like_initialism(affiliation)
    if acronym:
        keys.add(f"initials:{acronym}")
    keys |= {f"acronym:{letters}" for letters in initials(affiliation)}
    return keys
