"""Team scoping — the one place that decides who may read or write a case.

Rule: an active practitioner may read and write a case only if it belongs to their own team.
Managers and admins are scoped exactly like practitioners (admin rights are about accounts,
not case content). A refusal raises `AccessDenied`, which carries a `refused_cross_team`
audit row that the unit of work commits.
"""
from __future__ import annotations

from .audit import REFUSED_CROSS_TEAM
from .errors import AccessDenied
from .models import Case, Practitioner


def may_access_team(actor: Practitioner, team_id: int) -> bool:
    return bool(actor.active) and actor.team_id == team_id


def may_access_case(actor: Practitioner, case: Case) -> bool:
    return may_access_team(actor, case.team_id)


def require_case_access(
    actor: Practitioner,
    case: Case,
    channel: str,
    action: str,
    refusal: type[AccessDenied] = AccessDenied,
) -> None:
    """Raise `refusal` (audited as refused_cross_team) unless `actor` may use `case`."""
    if not may_access_case(actor, case):
        raise refusal(case.reference, action).with_audit(
            action=REFUSED_CROSS_TEAM,
            practitioner_id=actor.id,
            channel=channel,
            case_id=case.id,
            detail=f"attempted {action} on a case of team {case.team_id} "
            f"by a member of team {actor.team_id}",
        )


def require_team_access(actor: Practitioner, team_id: int, channel: str, action: str) -> None:
    """Raise AccessDenied (audited) unless `actor` belongs to team `team_id`."""
    if not may_access_team(actor, team_id):
        raise AccessDenied(None, action).with_audit(
            action=REFUSED_CROSS_TEAM,
            practitioner_id=actor.id,
            channel=channel,
            case_id=None,
            detail=f"attempted {action} for team {team_id} by a member of team {actor.team_id}",
        )
