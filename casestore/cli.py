"""Administration commands: a click group `case-admin`.

The web app registers it with `app.cli.add_command(case_admin)` (`flask case-admin ...`);
`python -m casestore ...` runs the same commands plus `migrate`.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import accounts
from .config import database_url
from .db import make_engine, make_session_factory, migrate
from .errors import CaseStoreError
from .models import ROLES


@contextmanager
def admin_session() -> Iterator[Session]:
    """A session on DATABASE_URL that commits on success; errors become click messages."""
    engine = make_engine(database_url())
    try:
        with make_session_factory(engine)() as session:
            yield session
            session.commit()
    except CaseStoreError as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The case database is not usable ({error.__class__.__name__}). "
            "Has it been created? Run: python -m casestore migrate"
        ) from error
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("case-admin")
def case_admin() -> None:
    """Manage teams and practitioner accounts of the case record."""


@case_admin.command("create-team")
@click.argument("name")
def create_team(name: str) -> None:
    """Create a team."""
    with admin_session() as session:
        accounts.create_team(session, name)
    click.echo(f"Created team {name!r}.")


@case_admin.command("add-practitioner")
@click.argument("username")
@click.option("--team", "team_name", required=True, help="The practitioner's team.")
@click.option("--role", type=click.Choice(ROLES), default="practitioner", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_practitioner(username: str, team_name: str, role: str, password_stdin: bool) -> None:
    """Add a practitioner with a web login USERNAME."""
    password = _read_password(password_stdin)
    with admin_session() as session:
        accounts.add_practitioner(session, username, team_name, password, role)
    click.echo(f"Added {role} {username!r} to team {team_name!r}.")


@case_admin.command("link-teams-identity")
@click.argument("username")
@click.option("--object-id", required=True, help="The user's Azure AD object id.")
@click.option("--tenant-id", required=True, help="The Azure AD tenant id.")
def link_teams_identity(username: str, object_id: str, tenant_id: str) -> None:
    """Let a Microsoft Teams user act as practitioner USERNAME."""
    with admin_session() as session:
        accounts.link_teams_identity(session, username, object_id, tenant_id)
    click.echo(f"Linked Teams user {object_id} (tenant {tenant_id}) to {username!r}.")


@case_admin.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def reset_password(username: str, password_stdin: bool) -> None:
    """Set a new web password for USERNAME (this also lifts a sign-in lockout)."""
    password = _read_password(password_stdin)
    with admin_session() as session:
        accounts.set_password(session, username, password)
    click.echo(f"Password changed for {username!r}.")


@case_admin.command("unlock")
@click.argument("username")
def unlock(username: str) -> None:
    """Lift the web sign-in lockout on USERNAME (after too many failed attempts)."""
    with admin_session() as session:
        cleared = accounts.unlock(session, username)
    click.echo(f"{username!r} can sign in again." if cleared
               else f"{username!r} was not locked out.")


@case_admin.command("set-active")
@click.argument("username")
@click.option("--active/--inactive", required=True, help="Allow or stop all access.")
def set_active(username: str, active: bool) -> None:
    """Activate or deactivate practitioner USERNAME (nothing is deleted)."""
    with admin_session() as session:
        accounts.set_active(session, username, active)
    click.echo(f"{username!r} is now {'active' if active else 'inactive'}.")


@case_admin.command("list-practitioners")
@click.option("--team", "team_name", default=None, help="Only this team.")
def list_practitioners(team_name: str | None) -> None:
    """List practitioners with team, role, status and linked channels."""
    with admin_session() as session:
        rows = accounts.list_practitioners(session, team_name)
        for p in rows:
            channels = ",".join(sorted({i.idp for i in p.identities})) or "-"
            state = "active" if p.active else "inactive"
            click.echo(f"{p.username}\t{p.team.name}\t{p.role}\t{state}\t{channels}")
    if not rows:
        click.echo("No practitioners.")


@case_admin.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only if there are no practitioners yet.")
def seed_demo(if_empty: bool) -> None:
    """Create the demo teams, users and case (idempotent; runs migrations first)."""
    from .seed import DEMO_CASE, DEMO_USER, OTHER_USER, has_practitioners, seed_demo as run_seed

    migrate(database_url())
    with admin_session() as session:
        if if_empty and has_practitioners(session):
            click.echo("Practitioners exist already; demo data not seeded.")
            return
        result = run_seed(session)
    for line in result.created:
        click.echo(f"created {line}")
    click.echo(f"Demo users {DEMO_USER!r} (Demo Team) and {OTHER_USER!r} (Other Team), "
               f"case {DEMO_CASE}.")
    click.echo(f"Demo password: {result.password}")


@click.command("migrate")
def migrate_command() -> None:
    """Create or upgrade the case database schema (alembic upgrade head)."""
    url = database_url()
    migrate(url)
    click.echo(f"Case database is up to date ({_safe_url(url)}).")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


main = click.Group(
    "casestore",
    help="Case record administration (same commands as `flask case-admin`, plus migrate).",
    commands={**case_admin.commands, "migrate": migrate_command},
)
