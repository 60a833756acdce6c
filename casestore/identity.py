"""From a verified identity claim to a Practitioner, auditing every refusal."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.identity import InvalidClaim, verify_claim

from .audit import REFUSED_IDENTITY
from .db import run_unit_of_work
from .errors import IdentityRefused, UnknownPractitioner
from .models import ChannelIdentity, Practitioner

log = logging.getLogger(__name__)


def authenticate(session: Session, token: object, channel: str) -> Practitioner:
    """Verify the signed claim `token` and resolve it; refusals are audited and raised as
    `IdentityRefused` (forged, expired, wrong audience, missing) or `UnknownPractitioner`."""
    return authenticate_claims(session, token, channel)[0]


def authenticate_claims(
    session: Session, token: object, channel: str
) -> tuple[Practitioner, Mapping[str, Any]]:
    """`authenticate`, also returning the verified claims (e.g. which channel issued them)."""
    try:
        claims = verify_claim(token)
    except InvalidClaim as error:
        refusal = IdentityRefused(str(error)).with_audit(
            action=REFUSED_IDENTITY, practitioner_id=None, channel=channel, detail=str(error)
        )
        return run_unit_of_work(session, lambda: _raise(refusal), "Checking your identity")
    return resolve(session, claims, channel), claims


def resolve(
    session: Session, claims: Mapping[str, Any], channel: str | None = None
) -> Practitioner:
    """The active practitioner linked to verified `claims` (web: username; teams: AAD object
    id + tenant), else `UnknownPractitioner` (audited as refused_identity)."""

    def lookup() -> Practitioner:
        idp, sub = claims.get("idp"), claims.get("sub")
        tenant = (claims.get("tid") or "") if idp == "teams" else ""
        practitioner = session.scalar(
            select(Practitioner)
            .join(ChannelIdentity, ChannelIdentity.practitioner_id == Practitioner.id)
            .where(
                ChannelIdentity.idp == idp,
                ChannelIdentity.external_id == sub,
                ChannelIdentity.tenant_id == tenant,
            )
        )
        if practitioner is None or not practitioner.active:
            who = f"{idp} account {sub!r}" + (f" (tenant {tenant})" if tenant else "")
            state = "inactive practitioner" if practitioner else "no linked practitioner"
            log.warning("case work refused: %s: %s", state, who)
            raise UnknownPractitioner(who, str(idp), inactive=practitioner is not None).with_audit(
                action=REFUSED_IDENTITY,
                practitioner_id=practitioner.id if practitioner else None,
                channel=channel or str(idp),
                detail=f"{state}: {who}",
            )
        return practitioner

    return run_unit_of_work(session, lookup, "Checking your identity")


def _raise(error: Exception) -> Any:
    raise error
