"""Scorecard: the seeds' headline numbers over many incidents, mergeable for map-reduce.

A scorecard holds counters only, never incidents, so scoring a million incidents takes
no more memory than scoring ten; and `a + b` is exactly the scorecard of both inputs, so
any engine that maps and reduces (Dask, Spark, multiprocessing) can score in parallel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from service_recovery._base.instants import before
from service_recovery._base.reasons import Reason
from service_recovery._money.money import minor_unit
from service_recovery._recovery.incident import Incident, clocks_of
from service_recovery._recovery.lifecycle import Step
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._time.timer import SlaStatus
from service_recovery.errors import CurrencyMismatch, InvalidValueError
from service_recovery.events import (
    CompensationGranted,
    CustomerContacted,
    Escalated,
    HandedOff,
    PromiseMade,
    SatisfactionRecorded,
)

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # closings are counted per day since
_ZERO = Decimal(0)


def _frozen(items: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(sorted(dict(items).items())))


def _merge(a: Mapping[Any, Any], b: Mapping[Any, Any]) -> Mapping[Any, Any]:
    merged = dict(a)
    for key, value in b.items():
        merged[key] = merged.get(key, 0) + value
    return _frozen(merged)


@attrs.frozen
class NpsTally:
    """Promoters (9–10), passives (7–8) and detractors (0–6) among scores (R12)."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    def __add__(self, other: NpsTally) -> NpsTally:
        return NpsTally(
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
        )

    @property
    def count(self) -> int:
        """How many scores were tallied."""
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> Decimal | None:
        """Net promoter score, -100 to 100, to one decimal; None without scores."""
        if not self.count:
            return None
        return (Decimal(100 * (self.promoters - self.detractors)) / self.count).quantize(
            Decimal("0.1")
        )


def _nps_band(score: int) -> NpsTally:
    if score >= 9:  # noqa: PLR2004 (the NPS bands of R12)
        return NpsTally(promoters=1)
    return NpsTally(passives=1) if score >= 7 else NpsTally(detractors=1)  # noqa: PLR2004


def _ratio(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) / whole).quantize(Decimal("0.0001"))


@attrs.frozen(hash=False)
class Scorecard:
    """Counters over many incidents: the headline numbers of service recovery.

    Outcomes, first-contact resolution (R5), responses and resolutions in time (R1,
    R19), promises kept
    (R10), escalations by rule, compensation spent (R3), NPS before and after (R12) and
    root causes per window (R6).

    First-contact resolution counts an incident resolved with no escalation, no handoff,
    no follow-up promise and no further contact; it is measured against the incidents
    with an outcome (resolved, lost or declined).

    Build one with `Scorecard.of(incidents)`; add two with ``+``.
    """

    incidents: int = 0
    resolved: int = 0
    lost: int = 0
    declined: int = 0
    first_contact: int = 0
    responses: int = 0
    responded_in_time: int = 0
    resolved_in_time: int = 0
    promises: int = 0
    promises_kept: int = 0
    escalations: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    currency: str | None = None
    spent: Decimal = _ZERO
    spent_by_level: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_frozen)
    compensated: int = 0
    nps_before: NpsTally = NpsTally()
    nps_after: NpsTally = NpsTally()
    recovery_pairs: int = 0
    recovery_delta: int = 0
    cause_window: timedelta | None = None
    causes: Mapping[tuple[str, int], int] = attrs.field(factory=dict, converter=_frozen)

    @classmethod
    def of(cls, incidents: Iterable[Incident]) -> Scorecard:
        """Score incidents one by one; memory stays flat however many there are."""
        tally = _Tally()
        for incident in incidents:
            tally.add(incident)
        return tally.scorecard()

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        # Read-only mapping views do not pickle; their contents do (for Dask, processes).
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(Scorecard)}
        plain = {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in fields.items()}
        return _rebuild, (plain,)

    def __add__(self, other: Scorecard) -> Scorecard:
        if not isinstance(other, Scorecard):
            return NotImplemented
        currency = _same(self.currency, other.currency, "currency")
        window = _same(self.cause_window, other.cause_window, "cause window")
        counts = {name: getattr(self, name) + getattr(other, name) for name in _ADDED}
        return Scorecard(
            **counts,
            escalations=_merge(self.escalations, other.escalations),
            spent_by_level=_merge(self.spent_by_level, other.spent_by_level),
            causes=_merge(self.causes, other.causes),
            currency=currency,
            cause_window=window,
        )

    @property
    def decided(self) -> int:
        """Incidents with an outcome: resolved, lost or declined."""
        return self.resolved + self.lost + self.declined

    @property
    def fcr(self) -> Decimal | None:
        """First-contact resolution rate (R5), of the decided incidents."""
        return _ratio(self.first_contact, self.decided)

    @property
    def response_compliance(self) -> Decimal | None:
        """Share of responses within their target (R1).

        Of the complaints answered, and of those left unanswered past their target, which
        count as missed.
        """
        return _ratio(self.responded_in_time, self.responses)

    @property
    def resolution_compliance(self) -> Decimal | None:
        """Share of resolved incidents resolved within their resolution target (R19)."""
        return _ratio(self.resolved_in_time, self.resolved)

    @property
    def promises_kept_rate(self) -> Decimal | None:
        """Share of due promises that were kept (R10)."""
        return _ratio(self.promises_kept, self.promises)

    @property
    def spent_per_incident(self) -> Decimal | None:
        """Compensation spent per incident scored."""
        if not self.incidents:
            return None
        places = minor_unit(self.currency) if self.currency else 2
        return (self.spent / self.incidents).quantize(Decimal(1).scaleb(-places))

    @property
    def mean_recovery_delta(self) -> Decimal | None:
        """How much a recovery moved the customer's score, on average (R12: 2 → 9 is +7)."""
        if not self.recovery_pairs:
            return None
        return (Decimal(self.recovery_delta) / self.recovery_pairs).quantize(Decimal("0.01"))

    def to_mapping(self) -> dict[str, Any]:
        """The counters as JSON-ready data: amounts as strings, causes as a list."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _ADDED}
        data.update(
            spent=str(self.spent),
            currency=self.currency,
            nps_before=attrs.asdict(self.nps_before),
            nps_after=attrs.asdict(self.nps_after),
            escalations=dict(self.escalations),
            spent_by_level={level: str(amount) for level, amount in self.spent_by_level.items()},
            cause_window_days=None if self.cause_window is None else self.cause_window.days,
            causes=[
                {
                    "cause": cause,
                    "day": (_EPOCH + timedelta(days=day)).date().isoformat(),
                    "count": n,
                }
                for (cause, day), n in self.causes.items()
            ],
        )
        return data

    def recurring_causes(self, threshold: int) -> tuple[Reason, ...]:
        """R6: root causes seen `threshold` times or more within any one window: fix them.

        Closings are counted per cause and day, so a window may start on any day: three
        closings an hour apart are found even when a calendar month ends between them.
        One finding per cause, for its busiest window, worst causes first.
        """
        days = (self.cause_window or timedelta(days=1)).days or 1
        by_cause: dict[str, list[tuple[int, int]]] = {}
        for (cause, day), count in self.causes.items():
            by_cause.setdefault(cause, []).append((day, count))
        worst = {}
        for cause, counts in by_cause.items():
            best = _busiest_window(sorted(counts), days)
            if best[0] >= threshold:
                worst[cause] = best
        findings = []
        for cause, (count, first) in sorted(worst.items(), key=lambda item: (-item[1][0], item[0])):
            start = _EPOCH + timedelta(days=first)
            detail = (
                f"{cause!r} caused {count} incidents in the {days} days from "
                f"{start:%Y-%m-%d}: fix the cause"
            )
            findings.append(Reason("R6.recurring", detail))
        return tuple(findings)


def _busiest_window(counts: list[tuple[int, int]], days: int) -> tuple[int, int]:
    """The most closings within `days` consecutive days, and the first of those days."""
    best, total, left = (0, 0), 0, 0
    for day, count in counts:
        total += count
        while counts[left][0] <= day - days:
            total -= counts[left][1]
            left += 1
        best = max(best, (total, -counts[left][0]))
    return best[0], -best[1]


def _rebuild(fields: dict[str, Any]) -> Scorecard:
    return Scorecard(**fields)


_ADDED = (
    "incidents",
    "resolved",
    "lost",
    "declined",
    "first_contact",
    "responses",
    "responded_in_time",
    "resolved_in_time",
    "promises",
    "promises_kept",
    "spent",
    "compensated",
    "nps_before",
    "nps_after",
    "recovery_pairs",
    "recovery_delta",
)
"""The fields that add up as they are."""


def _same(a: Any, b: Any, what: str) -> Any:  # noqa: ANN401 (a currency or a window)
    if a is not None and b is not None and a != b:
        if what == "currency":
            msg = f"cannot add scorecards in {a} and {b}; score one currency at a time"
            raise CurrencyMismatch(msg, left=a, right=b)
        msg = f"cannot add scorecards with {what}s of {a} and {b}; use one policy's window"
        raise InvalidValueError(msg)
    return a if a is not None else b


class _Tally:
    """The mutable accumulator behind `Scorecard.of`: one pass over each history."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.escalations: Counter[str] = Counter()
        self.by_level: Counter[str] = Counter()
        self.causes: Counter[tuple[str, int]] = Counter()
        self.spent = _ZERO
        self.currency: str | None = None
        self.window: timedelta | None = None
        self.nps_before = NpsTally()
        self.nps_after = NpsTally()

    def add(self, incident: Incident) -> None:  # noqa: C901 (one pass over the facts)
        counts, policy = self.counts, incident.policy
        counts["incidents"] += 1
        followed_up = False
        before = after = None
        granted = _ZERO
        for event in incident.events:
            kind = type(event)
            if kind is Escalated:
                followed_up = True
                self.escalations[event.reason.rule_id] += 1  # type: ignore[attr-defined]
            elif kind is HandedOff or kind is PromiseMade or kind is CustomerContacted:
                followed_up = True
            elif kind is CompensationGranted:
                decision = event.decision  # type: ignore[attr-defined]
                amount = decision.amount
                self.currency = _same(self.currency, amount.currency, "currency")
                level = (event.approver or decision.actor).level  # type: ignore[attr-defined]
                self.by_level[level] += amount.amount
                granted += amount.amount
            elif kind is SatisfactionRecorded:
                if event.before_recovery:  # type: ignore[attr-defined]
                    before = event.score  # type: ignore[attr-defined]
                else:
                    after = event.score  # type: ignore[attr-defined]
        outcome = incident.outcome
        self._timers(incident, outcome)
        if outcome is Step.RESOLVED:
            counts["resolved"] += 1
            counts["first_contact"] += not followed_up
        elif outcome is Step.LOST:
            counts["lost"] += 1
        elif outcome is Step.DECLINED:
            counts["declined"] += 1
        self._promises(incident)
        if granted:
            self.spent += granted
            counts["compensated"] += 1
        self._satisfaction(before, after)
        self._cause(incident, policy)

    def _timers(self, incident: Incident, outcome: Step | None) -> None:
        """R1: was the complaint answered in time? R19: was it resolved in time?"""
        timers = clocks_of(incident)  # scored once: nothing to keep
        response = timers["response"]
        if response.stopped_at is not None:  # answered, or left unanswered past the target
            self.counts["responses"] += 1
            self.counts["responded_in_time"] += (
                response.status(incident.updated_at) is SlaStatus.MET
            )
        if outcome is Step.RESOLVED:
            resolution = timers["resolution"]
            self.counts["resolved_in_time"] += (
                resolution.status(incident.updated_at) is SlaStatus.MET
            )

    def _promises(self, incident: Incident) -> None:
        now = incident.updated_at
        for promise in incident.promises:
            due = promise.kept_at is not None or before(promise.due, now)
            if due or incident.step is Step.CLOSED:  # kept, overdue, or never to be kept
                self.counts["promises"] += 1
                self.counts["promises_kept"] += not promise.is_broken(incident.updated_at)

    def _satisfaction(self, before: int | None, after: int | None) -> None:
        if before is not None:
            self.nps_before += _nps_band(before)
        if after is not None:
            self.nps_after += _nps_band(after)
        if before is not None and after is not None:
            self.counts["recovery_pairs"] += 1
            self.counts["recovery_delta"] += after - before

    def _cause(self, incident: Incident, policy: RecoveryPolicy) -> None:
        closing = incident.closing
        if closing is None:
            return
        window = policy.recurring_cause_window
        self.window = _same(self.window, window, "cause window")
        day = (closing.at.astimezone(UTC) - _EPOCH).days
        self.causes[closing.root_cause.strip().lower(), day] += 1

    def scorecard(self) -> Scorecard:
        return Scorecard(
            **self.counts,
            escalations=self.escalations,
            currency=self.currency,
            spent=self.spent,
            spent_by_level=self.by_level,
            nps_before=self.nps_before,
            nps_after=self.nps_after,
            cause_window=self.window,
            causes=self.causes,
        )


@attrs.frozen
class Metric:
    """One line of a scorecard's report: a value next to the policy's target, if any."""

    name: str
    rule: str
    value: str
    target: str = ""
    met: bool | None = None


def _value(number: Decimal | None) -> str:
    return "-" if number is None else str(number)


def _percent(ratio: Decimal | None) -> str:
    return "-" if ratio is None else f"{ratio * 100:.1f}%"


def report(card: Scorecard, policy: RecoveryPolicy) -> tuple[Metric, ...]:
    """The scorecard as metrics, each next to `policy`'s target with met or not met."""

    def against(ratio: Decimal | None, target: Decimal) -> bool | None:
        return None if ratio is None else ratio >= target

    currency = f" {card.currency}" if card.currency else ""
    before, after = card.nps_before.nps, card.nps_after.nps
    causes = card.recurring_causes(policy.recurring_cause_threshold)
    levels = ", ".join(f"{level} {amount}" for level, amount in card.spent_by_level.items())
    return (
        Metric("incidents scored", "", str(card.incidents)),
        Metric(
            "resolved / lost / declined", "R15", f"{card.resolved} / {card.lost} / {card.declined}"
        ),
        Metric(
            "first-contact resolution",
            "R5",
            _percent(card.fcr),
            f">= {_percent(policy.fcr_target)}",
            against(card.fcr, policy.fcr_target),
        ),
        Metric(
            "responses within target",
            "R1",
            _percent(card.response_compliance),
            f">= {_percent(policy.sla_compliance_target)}",
            against(card.response_compliance, policy.sla_compliance_target),
        ),
        Metric(
            "resolutions within target",
            "R19",
            _percent(card.resolution_compliance),
            f">= {_percent(policy.sla_compliance_target)}",
            against(card.resolution_compliance, policy.sla_compliance_target),
        ),
        Metric(
            "promises kept",
            "R10",
            _percent(card.promises_kept_rate),
            "100.0%",
            against(card.promises_kept_rate, Decimal(1)),
        ),
        Metric(
            "escalations by rule",
            "R9",
            ", ".join(f"{rule} {n}" for rule, n in card.escalations.items()) or "none",
        ),
        Metric("compensation spent", "R3", f"{card.spent}{currency}"),
        Metric("spent per incident", "R3", f"{card.spent_per_incident or 0}{currency}"),
        Metric("spent by level", "R3", levels or "none"),
        Metric("NPS before recovery", "R12", _value(before)),
        Metric(
            "NPS after recovery",
            "R12",
            "-" if after is None else str(after),
            "> before",
            None if before is None or after is None else after > before,
        ),
        Metric("mean recovery delta", "R12", _value(card.mean_recovery_delta)),
        Metric("recurring root causes", "R6", str(len(causes)), "0", not causes),
    )
