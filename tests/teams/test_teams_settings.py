"""The Teams channel's configuration: credentials.yml, env var defaults, stdlib-only settings."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from channels.teams.settings import CREDENTIAL_ENV, DEFAULTS, TeamsSettings

ROOT = Path(__file__).resolve().parents[2]
CHANNEL_KEY = "channels.teams.connector.TeamsInput:"
RASA_PROCESS_MODULES = ("settings", "auth", "botconnector", "cards", "activities", "deadline", "connector")
ALLOWED_IN_RASA = {"rasa", "sanic", "aiohttp", "jwt", "cryptography", "channels"}


def credentials_section() -> dict[str, str]:
    text = (ROOT / "bot" / "credentials.yml").read_text()
    section = text.split(CHANNEL_KEY, 1)[1]
    return dict(re.findall(r"^  (\w+): (\S+)$", section, flags=re.MULTILINE))


def imported_roots(module: str) -> set[str]:
    tree = ast.parse((ROOT / "channels" / "teams" / f"{module}.py").read_text())
    roots = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    roots |= {node.module.split(".")[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    return roots


def test_every_credential_is_an_unquoted_env_var_with_a_default() -> None:
    section = credentials_section()
    assert section == {key: f"${{{env}}}" for key, env in CREDENTIAL_ENV.items()}
    assert set(CREDENTIAL_ENV.values()) == set(DEFAULTS)


def test_the_defaults_are_microsofts_endpoints() -> None:
    assert DEFAULTS["TEAMS_OPENID_METADATA_URL"] == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert DEFAULTS["TEAMS_TOKEN_URL"] == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert DEFAULTS["TEAMS_ISSUER"] == "https://api.botframework.com"


def test_the_run_script_supplies_the_defaults(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import run

    env = run.default_env(tmp_path, {"TEAMS_APP_ID": "app"})
    assert env["TEAMS_APP_ID"] == "app"
    assert all(key in env for key in DEFAULTS)


def test_settings_take_defaults_for_empty_values_and_check_the_deadline() -> None:
    settings = TeamsSettings.from_credentials({"app_id": "app", "issuer": ""})
    assert settings.app_id == "app" and settings.issuer == DEFAULTS["TEAMS_ISSUER"]
    assert settings.reply_deadline_seconds == float(DEFAULTS["TEAMS_REPLY_DEADLINE_SECONDS"]) < 15
    for too_long in ("12", "20"):  # with the holding message, Teams' 15 s would be exceeded
        with pytest.raises(ValueError):
            TeamsSettings.from_credentials({"reply_deadline_seconds": too_long})


def test_settings_are_standard_library_only() -> None:
    assert imported_roots("settings") <= set(sys.stdlib_module_names)


@pytest.mark.parametrize("module", RASA_PROCESS_MODULES)
def test_code_running_in_the_rasa_server_imports_only_what_that_environment_allows(module: str) -> None:
    assert imported_roots(module) - set(sys.stdlib_module_names) <= ALLOWED_IN_RASA
