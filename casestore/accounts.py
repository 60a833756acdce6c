"""Teams and practitioner accounts (used by the admin CLI and the web app's login)."""
from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .errors import CaseStoreError, UnknownTeam
from .models import ROLES, ChannelIdentity, Practitioner, Team
from .websession import LoginThrottle

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 12
_DUMMY_HASH = generate_password_hash("not a real password, used for timing")


class AccountError(CaseStoreError, ValueError):
    """An account change that cannot be made as asked; the message says why."""


def create_team(session: Session, name: str) -> Team:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise AccountError("A team name is required (at most 100 characters).")
    if session.scalar(select(Team).where(Team.name == name)) is not None:
        raise AccountError(f"Team {name!r} already exists.")
    team = Team(name=name)
    session.add(team)
    session.flush()
    return team


def get_team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise UnknownTeam(name)
    return team


def get_practitioner(session: Session, username: str) -> Practitioner:
    practitioner = session.scalar(select(Practitioner).where(Practitioner.username == username))
    if practitioner is None:
        raise AccountError(f"There is no practitioner {username!r}.")
    return practitioner


def add_practitioner(
    session: Session, username: str, team_name: str, password: str, role: str = "practitioner"
) -> Practitioner:
    """A new active practitioner with a web login (`username`) in team `team_name`."""
    if not USERNAME_RE.match(username or ""):
        raise AccountError(
            "Usernames are 2-64 characters: lower-case letters, digits, '.', '_' or '-'."
        )
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}.")
    if session.scalar(select(Practitioner).where(Practitioner.username == username)):
        raise AccountError(f"Practitioner {username!r} already exists.")
    practitioner = Practitioner(
        username=username,
        password_hash=_hash(password),
        role=role,
        team=get_team(session, team_name),
        active=True,
    )
    practitioner.identities.append(ChannelIdentity(idp="web", external_id=username, tenant_id=""))
    session.add(practitioner)
    session.flush()
    return practitioner


def link_teams_identity(
    session: Session, username: str, object_id: str, tenant_id: str
) -> ChannelIdentity:
    """Let the Teams user (AAD object id in tenant) act as practitioner `username`."""
    object_id, tenant_id = (object_id or "").strip(), (tenant_id or "").strip()
    if not object_id or not tenant_id:
        raise AccountError("Both the AAD object id and the tenant id are required.")
    practitioner = get_practitioner(session, username)
    taken = session.scalar(
        select(ChannelIdentity).where(
            ChannelIdentity.idp == "teams",
            ChannelIdentity.external_id == object_id,
            ChannelIdentity.tenant_id == tenant_id,
        )
    )
    if taken is not None:
        if taken.practitioner_id == practitioner.id:
            return taken
        raise AccountError("That Teams account is already linked to another practitioner.")
    identity = ChannelIdentity(
        practitioner=practitioner, idp="teams", external_id=object_id, tenant_id=tenant_id
    )
    session.add(identity)
    session.flush()
    return identity


def set_password(session: Session, username: str, password: str) -> Practitioner:
    """A new web password; it also lifts any sign-in lockout, so the new password works now."""
    practitioner = get_practitioner(session, username)
    practitioner.password_hash = _hash(password)
    unlock(session, username)
    return practitioner


def unlock(session: Session, username: str) -> bool:
    """Lift the web sign-in lockout and forget failed attempts on `username` (the name as typed
    at sign-in, whether or not it is an account). True if there was anything to clear."""
    key = (username or "").strip().lower()
    return bool(session.execute(delete(LoginThrottle).where(LoginThrottle.username == key)).rowcount)


def set_active(session: Session, username: str, active: bool) -> Practitioner:
    practitioner = get_practitioner(session, username)
    practitioner.active = active
    return practitioner


def list_practitioners(session: Session, team_name: str | None = None) -> list[Practitioner]:
    query = select(Practitioner).join(Team).order_by(Team.name, Practitioner.username)
    if team_name:
        query = query.where(Team.name == team_name)
    return list(session.scalars(query).all())


def check_password(session: Session, username: str, password: str) -> Practitioner | None:
    """The active practitioner whose web login this is, or None (same cost either way)."""
    practitioner = session.scalar(select(Practitioner).where(Practitioner.username == username))
    stored = practitioner.password_hash if practitioner and practitioner.password_hash else None
    ok = check_password_hash(stored or _DUMMY_HASH, password or "")
    if practitioner is None or stored is None or not ok or not practitioner.active:
        return None
    return practitioner


def _hash(password: str) -> str:
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long.")
    return generate_password_hash(password)
