"""Configuration of the Teams channel: the environment variables bot/credentials.yml names.

Standard library only: scripts/run.py imports DEFAULTS (outside the Rasa environment) and sets
each one that is not already in the environment, so every ${VAR} in credentials.yml has a value.
The defaults are Microsoft's public Bot Framework endpoints; with no TEAMS_APP_ID the channel
still starts and refuses every request.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

DEFAULTS: dict[str, str] = {
    # The Azure Bot registration's Microsoft App ID and client secret ("" = not configured).
    "TEAMS_APP_ID": "",
    "TEAMS_APP_PASSWORD": "",
    # Where the keys that sign incoming activities are published (jwks_uri inside).
    "TEAMS_OPENID_METADATA_URL": "https://login.botframework.com/v1/.well-known/openidconfiguration",
    # Overrides the metadata's jwks_uri when set.
    "TEAMS_JWKS_URL": "",
    # The issuer every incoming activity token must name.
    "TEAMS_ISSUER": "https://api.botframework.com",
    # Where the bot gets its own token for posting replies. A single-tenant bot uses
    # https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token instead.
    "TEAMS_TOKEN_URL": "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
    "TEAMS_TOKEN_SCOPE": "https://api.botframework.com/.default",
    # Seconds the bot spends on a message before it says it is still working (Teams allows 15).
    "TEAMS_REPLY_DEADLINE_SECONDS": "8",
    # The web app's public address; citation cards link to {WEB_PUBLIC_URL}/protocol/<id>.
    "WEB_PUBLIC_URL": "",
}

# Teams waits 15 s for the HTTP answer; the holding message may take up to 3 s more.
MAX_REPLY_DEADLINE_SECONDS = 11.0

# bot/credentials.yml key -> the environment variable it is read from.
CREDENTIAL_ENV: dict[str, str] = {
    "app_id": "TEAMS_APP_ID",
    "app_password": "TEAMS_APP_PASSWORD",
    "openid_metadata_url": "TEAMS_OPENID_METADATA_URL",
    "jwks_url": "TEAMS_JWKS_URL",
    "issuer": "TEAMS_ISSUER",
    "token_url": "TEAMS_TOKEN_URL",
    "token_scope": "TEAMS_TOKEN_SCOPE",
    "reply_deadline_seconds": "TEAMS_REPLY_DEADLINE_SECONDS",
    "web_public_url": "WEB_PUBLIC_URL",
}


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str
    app_password: str
    openid_metadata_url: str
    jwks_url: str
    issuer: str
    token_url: str
    token_scope: str
    reply_deadline_seconds: float
    web_public_url: str

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any]) -> "TeamsSettings":
        """Values from credentials.yml; a missing or empty one takes its default."""
        values = {key: str(credentials.get(key) or DEFAULTS[env]).strip()
                  for key, env in CREDENTIAL_ENV.items()}
        deadline = float(values.pop("reply_deadline_seconds"))
        if not 0 < deadline <= MAX_REPLY_DEADLINE_SECONDS:
            raise ValueError(f"reply_deadline_seconds must be between 0 and {MAX_REPLY_DEADLINE_SECONDS}")
        return cls(reply_deadline_seconds=deadline, **values)
