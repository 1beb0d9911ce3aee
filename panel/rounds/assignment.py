"""Who reviews which application: the assignment plan as pure functions (no database,
no request: the warnings go through gettext, in English outside a request), so the rules
are easy to test and to reuse.

A plan for "a set number of reviewers" keeps these promises, in this order:

1. never a forbidden pair (a member who has stepped out of an application);
2. every application gets ``k`` reviewers, or everyone eligible when fewer can;
3. every application gets at least one member of every group that has an eligible member
   (when ``k`` is smaller than the number of such groups, as many groups as ``k`` allows);
4. workloads are as even as those rules allow: the busiest panellist has as few
   applications as possible and the least busy as many as possible, so they differ by at
   most one whenever any plan could manage that.

Everything is deterministic: ties go to the earlier panellist or application in the
order given. The plan is built greedily (most constrained application first, least busy
member first), then evened out by moving single reviews along chains of swaps, as in an
augmenting path of a network flow: member → application they give up → member who takes
it over → …, each step keeping every application's group cover.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

Pair = tuple[Hashable, Hashable]  # (member, application)


@dataclass(frozen=True)
class Panellist:
    """A member who may review: ``group`` is the group key, or None for no group."""

    id: Hashable
    group: str | None = None


@dataclass
class Plan:
    """The pairs (member, application) to assign, in application order, and plain-English
    warnings naming the applications where a promise could not be kept."""

    pairs: list[Pair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def everyone(panellists: Sequence[Panellist], applications: Sequence[Hashable], *,
             forbidden: Iterable[Pair] = (), names: Mapping | None = None,
             group_names: Mapping | None = None) -> Plan:
    """Every panellist reviews every application, except the ``forbidden`` pairs."""
    forbidden = set(forbidden)
    pairs = [(p.id, a) for a in applications for p in panellists if (p.id, a) not in forbidden]
    words = _Words(names, group_names)
    return Plan(pairs, _stepped_out_warnings(panellists, applications, forbidden, words))


def set_number(panellists: Sequence[Panellist], applications: Sequence[Hashable], k: int, *,
               forbidden: Iterable[Pair] = (), fixed: Iterable[Pair] = (),
               names: Mapping | None = None, group_names: Mapping | None = None) -> Plan:
    """``k`` reviewers for each application, spread evenly (see the module docstring).

    ``fixed`` pairs are already decided (for example a member has started a sheet): they
    are kept, count toward ``k`` and the workloads, and are never moved. ``names`` and
    ``group_names`` map applications and group keys to the words used in warnings."""
    if k < 1:
        raise ValueError(_("k must be at least 1"))
    forbidden = set(forbidden)
    state = _State(panellists, applications, forbidden, fixed)
    for application in sorted(applications, key=state.constraint):
        state.fill(application, k)
    state.rebalance()
    words = _Words(names, group_names)
    warnings = [*_short_warnings(state, k, words),
                *_stepped_out_warnings(panellists, applications, forbidden, words),
                *_uncovered_warnings(state, k, words)]
    return Plan(state.pairs(), warnings)


class _State:
    """A plan being built: who is on which application, and everyone's workload."""

    def __init__(self, panellists, applications, forbidden, fixed) -> None:
        self.order = {p.id: i for i, p in enumerate(panellists)}
        self.app_order = {a: i for i, a in enumerate(applications)}
        self.group = {p.id: p.group for p in panellists}
        self.members_of: dict[str | None, list] = {}
        for p in panellists:
            self.members_of.setdefault(p.group, []).append(p.id)
        self.forbidden = forbidden
        self.eligible = {a: [p.id for p in panellists if (p.id, a) not in forbidden]
                         for a in applications}
        self.on: dict[Hashable, dict] = {a: {} for a in applications}  # ordered sets
        self.apps_of: dict[Hashable, dict] = {p.id: {} for p in panellists}
        self.count: dict[tuple, int] = {}  # (application, group) → members on it
        self.required: dict[Hashable, set] = {}  # groups each application must keep
        self.fixed = set(fixed)
        for member, application in self.fixed:
            if (member, application) in forbidden or member not in self.order:
                raise ValueError(_("Fixed pair %(pair)s is not allowed",
                                   pair=(member, application)))
            self.add(member, application)

    def constraint(self, application) -> tuple[int, int]:
        return len(self.eligible[application]), self.app_order[application]

    def load(self, member) -> int:
        return len(self.apps_of[member])

    def add(self, member, application) -> None:
        self.on[application][member] = None
        self.apps_of[member][application] = None
        key = (application, self.group[member])
        self.count[key] = self.count.get(key, 0) + 1

    def remove(self, member, application) -> None:
        del self.on[application][member]
        del self.apps_of[member][application]
        self.count[(application, self.group[member])] -= 1

    def fill(self, application, k: int) -> None:
        """Greedy: uncovered groups first, then anyone; the least busy member each time."""
        on = self.on[application]
        target = max(min(k, len(self.eligible[application])), len(on))
        covered = {self.group[m] for m in on} | {None}  # members with no group cover none
        while len(on) < target:
            free = [m for m in self.eligible[application] if m not in on]
            new_group = [m for m in free if self.group[m] not in covered]
            chosen = min(new_group or free, key=lambda m: (self.load(m), self.order[m]))
            self.add(chosen, application)
            covered.add(self.group[chosen])
        self.required[application] = {self.group[m] for m in on} - {None}

    def rebalance(self) -> None:
        """Move single reviews along swap chains until no chain evens the workloads."""
        while True:
            loads = {m: self.load(m) for m in self.order}
            high, low = max(loads.values(), default=0), min(loads.values(), default=0)
            if high - low <= 1:
                return
            path = (self._path([m for m in self.order if loads[m] == high],
                               lambda m: loads[m] <= high - 2)
                    or self._path([m for m in self.order if loads[m] >= low + 2],
                                  lambda m: loads[m] == low))
            if path is None:
                return
            self._apply(path)

    def _path(self, sources: list, is_target) -> list | None:
        """Breadth-first search of the swap graph, from ``sources`` to a target member."""
        parent: dict = {("m", m): None for m in sources}
        queue = deque(parent)
        while queue:
            node = queue.popleft()
            for step in self._steps(node):
                if step in parent:
                    continue
                parent[step] = node
                if step[0] == "m" and is_target(step[1]):
                    return _walk_back(parent, step)
                queue.append(step)
        return None

    def _steps(self, node):
        kind = node[0]
        if kind == "m":  # the member gives up one of their applications
            member = node[1]
            for application in self.apps_of[member]:
                if (member, application) not in self.fixed:
                    yield ("g", application, self.group[member])
        elif kind == "g":  # a member of the group takes it, or another group does
            application, group = node[1], node[2]
            for member in self.members_of.get(group, ()):
                if member not in self.on[application] and \
                        (member, application) not in self.forbidden:
                    yield ("m", member)
            floor = 1 if group in self.required[application] else 0
            if self.count.get((application, group), 0) > floor:
                yield ("a", application)
        else:  # the place on the application may go to any group
            application = node[1]
            for group in self.members_of:
                yield ("g", application, group)

    def _apply(self, path: list) -> None:
        for here, there in zip(path, path[1:]):
            if here[0] == "m" and there[0] == "g":
                self.remove(here[1], there[1])
            elif here[0] == "g" and there[0] == "m":
                self.add(there[1], here[1])

    def pairs(self) -> list[Pair]:
        return [(m, a) for a in self.app_order
                for m in sorted(self.on[a], key=self.order.__getitem__)]


def _walk_back(parent: dict, node) -> list:
    path = []
    while node is not None:
        path.append(node)
        node = parent[node]
    return path[::-1]


class _Words:
    """How warnings name applications and groups."""

    def __init__(self, names: Mapping | None, group_names: Mapping | None) -> None:
        self.names = names or {}
        self.group_names = group_names or {}

    def application(self, application) -> str:
        return str(self.names.get(application, application))

    def group(self, key) -> str:
        return str(self.group_names.get(key, key))

    def applications(self, applications: Iterable) -> str:
        return self.join([self.application(a) for a in applications])

    @staticmethod
    def join(words: list[str], limit: int = 10) -> str:
        """"A1, A2 and A3", or "A1, A2, … A10 and 5 more" for long lists."""
        if len(words) > limit:
            return _("%(listed)s and %(more)s more", listed=", ".join(words[:limit]),
                     more=f"{len(words) - limit:,}")
        if len(words) == 1:
            return words[0]
        return _("%(listed)s and %(last)s", listed=", ".join(words[:-1]), last=words[-1])


def _short_warnings(state: _State, k: int, words: _Words) -> list[str]:
    short = [a for a in state.app_order if len(state.on[a]) < k]
    if not short:
        return []
    listed = words.join([f"{words.application(a)} ({len(state.on[a])})" for a in short])
    return [_("Fewer than %(k)s panellists can review %(listed)s, because of conflicts of "
              "interest or too few panellists. Each gets everyone who can.",
              k=k, listed=listed)]


def _stepped_out_warnings(panellists, applications, forbidden, words: _Words) -> list[str]:
    warnings = []
    groups = list(dict.fromkeys(p.group for p in panellists if p.group is not None))
    for group in groups:
        members = [p.id for p in panellists if p.group == group]
        missing = [a for a in applications if all((m, a) in forbidden for m in members)]
        if missing:
            warnings.append(_(
                "No %(group)s panellist can review %(applications)s: they have all stepped "
                "out because of a conflict of interest.", group=words.group(group),
                applications=words.applications(missing)))
    return warnings


def _uncovered_warnings(state: _State, k: int, words: _Words) -> list[str]:
    warnings = []
    for group in (g for g in state.members_of if g is not None):
        missing = [a for a in state.app_order
                   if group not in state.required[a]
                   and any(state.group[m] == group for m in state.eligible[a])]
        if missing:
            warnings.append(ngettext(
                "No %(group)s panellist reviews %(applications)s: %(num)d reviewer is not "
                "enough for one from every group.",
                "No %(group)s panellist reviews %(applications)s: %(num)d reviewers are not "
                "enough for one from every group.", k, group=words.group(group),
                applications=words.applications(missing)))
    return warnings
