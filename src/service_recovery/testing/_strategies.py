"""Hypothesis strategies for every public type, and the table `st.from_type` reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from service_recovery._base.fields import MAX_FIELD_INT, MAX_FIELD_NAME, Fields, host_fields
from service_recovery._base.vocabulary import BySeverity, Category, Channel, Severity
from service_recovery._money.authority import Actor, AuthorityLadder, AuthorityLevel
from service_recovery._money.budget import CompensationBudget, Period
from service_recovery._money.money import Money, minor_unit
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.lifecycle import TRANSITIONS, Action, Step
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._time.calendar import BusinessCalendar
from service_recovery.errors import RecoveryError

_CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "KWD"])  # 2, 2, 0 and 3 decimal places
_ZONES = ("UTC", "Europe/Madrid", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe")
_TEXT = st.sampled_from(["wrong size", "late delivery", "rude reply", "billing error"])
_AGENTS = st.sampled_from(["luis", "marta", "pere", "ana"])


def aware_datetimes(
    *,
    min_value: datetime = datetime(2020, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value: datetime = datetime(2035, 12, 31),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in a few real zones (DST, half-hour offsets), to the microsecond."""
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from([UTC, *(ZoneInfo(zone) for zone in _ZONES)]),
    )


@st.composite
def money(
    draw: st.DrawFn,
    currency: str | st.SearchStrategy[str] = _CURRENCIES,
    *,
    min_value: int = 0,
    max_value: int = 10_000,
) -> Money:
    """Money in `currency` with whole units between the bounds, exact to the minor unit."""
    code = draw(currency) if isinstance(currency, st.SearchStrategy) else currency
    places = minor_unit(code)
    minor = draw(st.integers(min_value * 10**places, max_value * 10**places))
    return Money(Decimal(minor).scaleb(-places), code)


@st.composite
def offers(draw: st.DrawFn, currency: str = "USD") -> Offer:
    """Offers that are possible, or not possible with a possible alternative (R17)."""
    kinds = st.sampled_from(["upgrade", "voucher", "refund", "late checkout", "dessert"])

    def possible() -> Offer:
        return Offer(draw(kinds), draw(money(currency)), draw(money(currency)))

    if draw(st.booleans()):
        return possible()
    return Offer(
        draw(kinds),
        draw(money(currency)),
        draw(money(currency)),
        possible=False,
        alternative=possible(),
    )


@st.composite
def ladders(draw: st.DrawFn, currency: str = "USD", *, min_levels: int = 1) -> AuthorityLadder:
    """Authority ladders of `min_levels` to four levels with strictly rising limits (R3)."""
    limits = draw(st.lists(st.integers(1, 5000), min_size=min_levels, max_size=4, unique=True))
    names = ("frontline", "supervisor", "manager", "director")
    return AuthorityLadder(
        AuthorityLevel(name, Money.of(limit, currency))
        for name, limit in zip(names, sorted(limits), strict=False)
    )


@st.composite
def policies(draw: st.DrawFn) -> RecoveryPolicy:
    """Policies with varied numbers and ladders of two levels or more."""
    durations = st.timedeltas(timedelta(seconds=1), timedelta(days=3))
    ladder = draw(ladders(min_levels=2))
    return RecoveryPolicy(
        response_time=draw(durations),
        deferred_response_time=draw(st.none() | durations),
        deferred_response_calendar=draw(st.none() | calendars()),
        min_options=draw(st.integers(1, 3)),
        max_handoffs=draw(st.integers(0, 3)),
        escalate_excess_handoffs=draw(st.booleans()),
        authority=ladder,
        decline_level=draw(st.sampled_from(ladder.names)),
        severe_on_deferred=draw(st.sampled_from(Severity)),
        agent_cooldowns=BySeverity(*(draw(durations) for _ in Severity)),
        compensation_guide=BySeverity(*(draw(money(ladder.currency)) for _ in Severity)),
        min_offer_value=None
        if draw(st.booleans())
        else BySeverity(*(draw(money(ladder.currency, max_value=100)) for _ in Severity)),
        resolution_times=BySeverity(*(draw(durations) for _ in Severity)),
        calendar=draw(calendars()),
    )


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Business calendars: 24x7, office hours, a lunch break or a night shift, in real zones."""
    zone = draw(st.sampled_from(_ZONES))
    shapes: tuple[dict[str, list[str]], ...] = (
        {},
        {"mon-fri": ["09:00-17:00"]},
        {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
        {"mon-sun": ["22:00-06:00"]},
    )
    hours = draw(st.sampled_from(shapes))
    if not hours:
        return BusinessCalendar(zone=zone)
    return BusinessCalendar.weekly(hours, zone=zone)


@st.composite
def budgets(draw: st.DrawFn, currency: str = "USD") -> CompensationBudget:
    """Budgets with a pool, a cap, a period and a zone, and an empty ledger."""
    return CompensationBudget(
        holder=draw(st.sampled_from(["front desk", "team A", "store 12"])),
        pool=draw(money(currency, min_value=1, max_value=10_000)),
        per_incident_cap=draw(money(currency, min_value=1, max_value=5_000)),
        period=draw(st.sampled_from(Period)),
        zone=draw(st.sampled_from(_ZONES)),
    )


def _reaches(step: Step) -> frozenset[Step]:
    """The steps from which `step` can still be reached (itself included)."""
    found = {step}
    while True:
        more = {s for s, moves in TRANSITIONS.items() if found & set(moves.values())} - found
        if not more:
            return frozenset(found)
        found |= more


_FIELD_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_FIELD_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_FIELD_INT, MAX_FIELD_INT)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _FIELD_TEXT
    | st.sampled_from(["gold", "silver", "EMEA", "wifi", "noise"])
)
_FIELD_NAMES = st.sampled_from(["tier", "org", "tags", "region", "product"]) | st.text(
    st.characters(codec="utf-8"), min_size=1, max_size=MAX_FIELD_NAME
).filter(str.strip)


def ticket_fields() -> st.SearchStrategy[Fields]:
    """A helpdesk's own fields on a ticket, as `Incident.receive(fields=...)` keeps them.

    JSON-like values within every bound, lists and tables nested up to the deepest allowed.
    """
    values = st.recursive(
        _FIELD_LEAVES,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(_FIELD_NAMES, children, max_size=4)
        ),
        max_leaves=20,
    )
    tables = st.dictionaries(_FIELD_NAMES, values, max_size=6)
    return tables.filter(_within_bounds).map(host_fields)


def _within_bounds(value: object) -> bool:
    try:
        host_fields(value)
    except RecoveryError:  # nested too deep: drawn again
        return False
    return True


@st.composite
def incidents(
    draw: st.DrawFn, policy: RecoveryPolicy | None = None, *, step: Step | None = None
) -> Incident:
    """Incidents at any step (or at `step`), reached by a random valid command sequence.

    Along the way the walk may hand off, promise and contact, so histories vary too.
    """
    policy = draw(policies()) if policy is None else policy
    flat = len(policy.authority.levels) == 1
    if step is Step.ESCALATED and flat:
        msg = "a policy with a one-level ladder has nobody to escalate to"
        raise InvalidArgument(msg)
    steps = [s for s in Step if not (flat and s is Step.ESCALATED)]
    target = draw(st.sampled_from(steps)) if step is None else step
    incident = Incident.receive(
        incident_id=draw(st.from_regex(r"INC-[0-9]{1,6}", fullmatch=True)),
        customer=draw(st.sampled_from(["ana", "bo", "chen", "dee"])),
        channel=draw(st.sampled_from(Channel)),
        category=draw(st.sampled_from(Category)),
        severity=draw(st.sampled_from(Severity)),
        at=draw(aware_datetimes()),
        policy=policy,
        fields=draw(st.none() | ticket_fields()),
    )
    now = incident.received_at.astimezone(UTC)
    while incident.step is not target:
        now += draw(st.timedeltas(timedelta(0), timedelta(hours=5)))
        moves = [a for a, s in TRANSITIONS[incident.step].items() if s in _reaches(target)]
        ladder = policy.authority
        if ladder.rank(incident.level) == len(ladder.levels) - 1:
            moves = [a for a in moves if a is not Action.ESCALATE or target is Step.ESCALATED]
        action = draw(st.sampled_from(sorted(moves)))
        incident = _MOVES[action](draw, incident, now)
        if incident.step.is_open and draw(st.booleans()):
            incident = _aside(draw, incident, now)
    return incident


def _offer(draw: st.DrawFn, incident: Incident, at: datetime) -> Incident:
    del draw
    policy = incident.policy
    free = Money.zero(policy.authority.currency)
    worth = policy.least_offer_value(incident) or free  # R4: each worth what the policy asks
    choices = [Offer(f"option {n}", free, worth) for n in range(policy.min_options)]
    return incident.offer(choices, at=at)


def _escalate(draw: st.DrawFn, incident: Incident, at: datetime) -> Incident:
    ladder = incident.policy.authority
    higher = ladder.names[ladder.rank(incident.level) + 1 :]
    if not higher:  # already at the top: the walk wants ESCALATED and is there
        return incident
    return incident.escalate(to=draw(st.sampled_from(higher)), reason=draw(_TEXT), at=at)


def _decline(draw: st.DrawFn, incident: Incident, at: datetime) -> Incident:
    ladder, lowest = incident.policy.authority, incident.policy.decline_level
    level = draw(st.sampled_from(ladder.names[ladder.rank(lowest) :]))
    by = Actor(draw(_AGENTS), level)
    return incident.decline(reason="costs more than it is worth", by=by, at=at)


_Move = Callable[[st.DrawFn, Incident, datetime], Incident]

_MOVES: dict[Action, _Move] = {
    Action.ACKNOWLEDGE: lambda draw, i, at: i.acknowledge(by=draw(_AGENTS), at=at),
    Action.RESTATE: lambda draw, i, at: i.restate(problem=draw(_TEXT), confirmed=True, at=at),
    Action.OFFER: _offer,
    Action.ESCALATE: _escalate,
    Action.RESOLVE: lambda _, i, at: i.resolve(summary="fixed", at=at),
    Action.ABANDON: lambda _, i, at: i.abandon(reason="the customer left", at=at),
    Action.DECLINE: _decline,
    Action.CLOSE: lambda draw, i, at: i.close(
        root_cause=draw(_TEXT), cost=Money.zero(i.policy.authority.currency), at=at
    ),
}
"""How the walk takes each action, with arguments the rules accept."""


def _aside(draw: st.DrawFn, incident: Incident, at: datetime) -> Incident:
    """An orthogonal command: a promise, a contact, or a handoff if the policy allows."""
    choice = draw(st.sampled_from(["promise", "contact", "hand_off"]))
    if choice == "promise":
        return incident.promise(
            due=at + draw(st.timedeltas(timedelta(minutes=1), timedelta(days=2))), at=at
        )
    if choice == "contact":
        return incident.contact(at=at, note="checking in")
    policy = incident.policy
    room = incident.handoffs < policy.max_handoffs or policy.escalate_excess_handoffs
    if incident.owner is None or not room:
        return incident
    others = [agent for agent in ("luis", "marta", "pere", "ana") if agent != incident.owner]
    return incident.hand_off(to=draw(st.sampled_from(others)), at=at)


def histories(policy: RecoveryPolicy | None = None) -> st.SearchStrategy[tuple[Any, ...]]:
    """Event histories of valid incidents: what a host stores and replays."""
    return incidents(policy).map(lambda incident: incident.events)
