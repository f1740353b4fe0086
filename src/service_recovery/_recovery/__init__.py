"""Incidents and the rules that govern them: the recovery steps, the incident, the policy."""

from service_recovery._base.vocabulary import BySeverity, Category, Channel, Severity
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.lifecycle import (
    TRANSITIONS,
    Action,
    Step,
    allowed_actions,
    to_mermaid,
)
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._recovery.record import IncidentRecord, Promise

__all__ = [
    "TRANSITIONS",
    "Action",
    "BySeverity",
    "Category",
    "Channel",
    "Incident",
    "IncidentRecord",
    "Promise",
    "RecoveryPolicy",
    "Severity",
    "Step",
    "allowed_actions",
    "to_mermaid",
]
