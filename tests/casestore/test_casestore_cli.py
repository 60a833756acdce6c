"""Administration commands (`flask case-admin ...` / `python -m casestore ...`) and the
demo seed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore import accounts
from casestore.cli import case_admin, main
from casestore.models import Case, ChannelIdentity, Practitioner

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "correct horse battery"


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return CliRunner()


def run(cli: CliRunner, *args: str, stdin: str | None = None) -> str:
    result = cli.invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_account_lifecycle(cli: CliRunner, session: Session) -> None:
    run(cli, "create-team", "Wrexham Team")
    run(cli, "add-practitioner", "sian", "--team", "Wrexham Team", "--role", "manager",
        "--password-stdin", stdin=PASSWORD + "\n")
    run(cli, "link-teams-identity", "sian", "--object-id", "aad-1", "--tenant-id", "t-1")
    listing = run(cli, "list-practitioners")
    assert "sian\tWrexham Team\tmanager\tactive\tteams,web" in listing
    assert accounts.check_password(session, "sian", PASSWORD) is not None
    assert accounts.check_password(session, "sian", "wrong password!!") is None

    run(cli, "reset-password", "sian", "--password-stdin", stdin="another long password\n")
    session.expire_all()
    assert accounts.check_password(session, "sian", PASSWORD) is None
    assert accounts.check_password(session, "sian", "another long password") is not None

    run(cli, "set-active", "sian", "--inactive")
    session.expire_all()
    assert accounts.check_password(session, "sian", "another long password") is None
    assert "inactive" in run(cli, "list-practitioners", "--team", "Wrexham Team")


def test_password_prompt(cli: CliRunner, session: Session) -> None:
    run(cli, "create-team", "T")
    run(cli, "add-practitioner", "rhys", "--team", "T", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert accounts.check_password(session, "rhys", PASSWORD) is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add-practitioner", "x1", "--team", "Nowhere", "--password-stdin"], PASSWORD, "no team"),
        (["add-practitioner", "Bad Name", "--team", "T", "--password-stdin"], PASSWORD, "Usernames"),
        (["add-practitioner", "shorty", "--team", "T", "--password-stdin"], "short", "at least 12"),
        (["create-team", "T"], None, "already exists"),
        (["reset-password", "nobody", "--password-stdin"], PASSWORD, "no practitioner"),
        (["link-teams-identity", "nobody", "--object-id", "a", "--tenant-id", "b"], None,
         "no practitioner"),
    ],
)
def test_refusals_are_clear(cli: CliRunner, args: list[str], stdin, message: str) -> None:
    run(cli, "create-team", "T")
    result = cli.invoke(main, args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output


def test_teams_identity_cannot_be_linked_twice(cli: CliRunner) -> None:
    run(cli, "create-team", "T")
    for name in ("one", "two"):
        run(cli, "add-practitioner", name, "--team", "T", "--password-stdin", stdin=PASSWORD)
    run(cli, "link-teams-identity", "one", "--object-id", "aad", "--tenant-id", "t")
    run(cli, "link-teams-identity", "one", "--object-id", "aad", "--tenant-id", "t")  # no-op
    result = cli.invoke(main, ["link-teams-identity", "two", "--object-id", "aad", "--tenant-id", "t"])
    assert result.exit_code != 0 and "already linked" in result.output


def test_seed_demo_is_idempotent(
    cli: CliRunner, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = run(cli, "seed-demo")
    assert "Demo password: demo-password-change-me" in first
    second = run(cli, "seed-demo")
    assert "created" not in second and "Demo password" in second
    people = {p.username: p.team.name for p in session.scalars(select(Practitioner))}
    assert people == {"demo": "Demo Team", "other": "Other Team"}
    case = session.scalars(select(Case)).one()
    assert (case.reference, case.team.name) == ("NW/2026/0012", "Demo Team")
    assert case.referral_date is not None
    assert accounts.check_password(session, "demo", "demo-password-change-me") is not None
    assert session.scalar(select(ChannelIdentity).where(ChannelIdentity.external_id == "demo"))


def test_seed_demo_if_empty_leaves_real_accounts_alone(cli: CliRunner, session: Session) -> None:
    run(cli, "create-team", "Real Team")
    run(cli, "add-practitioner", "real", "--team", "Real Team", "--password-stdin", stdin=PASSWORD)
    assert "not seeded" in run(cli, "seed-demo", "--if-empty")
    assert [p.username for p in session.scalars(select(Practitioner))] == ["real"]


def test_seed_demo_if_empty_seeds_an_empty_database(cli: CliRunner, session: Session) -> None:
    assert "Demo password" in run(cli, "seed-demo", "--if-empty")
    assert session.scalars(select(Case.reference)).all() == ["NW/2026/0012"]


def test_seed_demo_password_from_environment(
    cli: CliRunner, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "a demo password from env")
    assert "Demo password: a demo password from env" in run(cli, "seed-demo")
    assert accounts.check_password(session, "other", "a demo password from env") is not None


def test_group_registers_in_flask(cli: CliRunner, session: Session) -> None:
    app = Flask("test")
    app.cli.add_command(case_admin)
    result = app.test_cli_runner().invoke(args=["case-admin", "create-team", "Flask Team"])
    assert result.exit_code == 0, result.output
    assert accounts.get_team(session, "Flask Team").name == "Flask Team"


def test_python_dash_m_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "casestore", "migrate"],
        cwd=ROOT,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
