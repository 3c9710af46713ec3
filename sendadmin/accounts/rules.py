"""Capability permissions: `accounts.<capability>` is true when the active role has it (roles.py)."""

from typing import Any

import rules

from .roles import Cap, role_has
from .selectors import active_membership


def has_capability(cap: Cap) -> rules.Predicate:
    @rules.predicate(name=f"has_{cap.value}")
    def predicate(user: Any) -> bool:
        membership = active_membership(user)
        return membership is not None and role_has(membership.role, cap)

    return predicate


for _cap in Cap:
    rules.add_perm(f"accounts.{_cap.value}", has_capability(_cap))


def has_cap(user: Any, cap: Cap) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, cap)
