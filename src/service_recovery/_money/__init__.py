"""Money and compensation: exact amounts, who may spend how much, budgets, and offers."""

from service_recovery._money.authority import Actor, AuthorityLadder, AuthorityLevel
from service_recovery._money.budget import CompensationBudget, Grant, Period
from service_recovery._money.money import Money, minor_unit
from service_recovery._money.offers import Offer, rank_offers, value_per_cost

__all__ = [
    "Actor",
    "AuthorityLadder",
    "AuthorityLevel",
    "CompensationBudget",
    "Grant",
    "Money",
    "Offer",
    "Period",
    "minor_unit",
    "rank_offers",
    "value_per_cost",
]
