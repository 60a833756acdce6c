"""Checks the bearer token the Bot Framework puts on every activity it sends to the bot.

A token is accepted only if it is RS256-signed by a key from the configured key set, is for this
bot (aud == app id), is within its validity period, names the configured issuer, and vouches for
the activity's serviceUrl (the `serviceurl` claim): the bot later sends its own credentials to
that URL, so an unvouched serviceUrl would leak them.

Keys are fetched on first use, never at construction (the Rasa server must start on a closed
network), refreshed daily, and refreshed early when a token names an unknown key id (at most
once a minute, so forged key ids cannot make the server fetch on every request).
Standard library and PyJWT only, so the tests run it without Rasa.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import jwt
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

ALGORITHMS = ["RS256"]
CLOCK_SKEW_SECONDS = 300  # the Bot Framework SDKs allow five minutes
REQUIRED_CLAIMS = ["iss", "aud", "exp", "nbf", "serviceurl"]
BEARER = re.compile(r"Bearer\s+(\S+)\s*$", re.IGNORECASE)
HTTP_TIMEOUT_SECONDS = 4  # two fetches must fit well inside Teams' 15 s

FetchJson = Callable[[str], Awaitable[dict[str, Any]]]


class Unauthorized(Exception):
    """The request's token is missing or not acceptable; str() says why (for the log only)."""


class KeySetUnavailable(Exception):
    """No signing keys could be fetched, so no token can be checked."""


def _get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as response:
        data = json.loads(response.read())
    if not isinstance(data, dict):
        raise ValueError(f"{url} did not return a JSON object")
    return data


async def fetch_json(url: str) -> dict[str, Any]:
    return await asyncio.to_thread(_get_json, url)


@dataclass
class TokenValidator:
    app_id: str
    issuer: str
    openid_metadata_url: str
    jwks_url: str = ""  # overrides the metadata's jwks_uri
    fetch: FetchJson = fetch_json
    min_refresh_seconds: float = 60.0  # unknown kids or failures cannot make us fetch more often
    max_key_age_seconds: float = 86400.0
    _keys: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)
    _fetched_at: float | None = field(default=None, init=False)
    _attempted_at: float | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def validate(self, authorization: str | None, service_url: str,
                       channel_id: str | None = None) -> dict[str, Any]:
        """The token's claims, else Unauthorized (or KeySetUnavailable)."""
        if not self.app_id:
            raise Unauthorized("no Teams app id is configured (TEAMS_APP_ID)")
        match = BEARER.match(authorization or "")
        if not match:
            raise Unauthorized("no Bearer token in the Authorization header")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized(f"malformed token ({error})") from error
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized(f"token algorithm {header.get('alg')!r} is not allowed")
        kid = header.get("kid")
        key = await self._key(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthorized(f"token signed with unknown key id {kid!r}")
        endorsements = key.get("endorsements")
        if channel_id and isinstance(endorsements, list) and channel_id not in endorsements:
            raise Unauthorized(f"the signing key is not endorsed for channel {channel_id!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key=RSAAlgorithm.from_jwk(key), algorithms=ALGORITHMS,
                audience=self.app_id, issuer=self.issuer, leeway=CLOCK_SKEW_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise Unauthorized(f"token rejected ({type(error).__name__}: {error})") from error
        if _normal_url(str(claims.get("serviceurl", ""))) != _normal_url(service_url or ""):
            raise Unauthorized("the token's serviceurl claim does not match the activity's serviceUrl")
        return claims

    async def _key(self, kid: str) -> dict[str, Any] | None:
        async with self._lock:
            now = time.monotonic()
            due = self._attempted_at is None or now - self._attempted_at >= self.min_refresh_seconds
            stale = self._fetched_at is None or now - self._fetched_at > self.max_key_age_seconds
            if due and (stale or kid not in self._keys):
                await self._refresh(now)
            if not self._keys:
                raise KeySetUnavailable("no Bot Framework signing keys (the last fetch failed)")
            return self._keys.get(kid)

    async def _refresh(self, now: float) -> None:
        self._attempted_at = now
        source = self.jwks_url or self.openid_metadata_url
        try:
            jwks_url = self.jwks_url or (await self.fetch(self.openid_metadata_url))["jwks_uri"]
            keys = (await self.fetch(jwks_url))["keys"]
        except Exception as error:  # network, HTTP status, JSON shape: all mean "no new keys"
            logger.error("Could not fetch the Bot Framework signing keys from %s: %s", source, error)
            return
        self._keys = {key["kid"]: key for key in keys if isinstance(key, dict) and "kid" in key}
        self._fetched_at = now
        logger.info("Fetched %d Bot Framework signing keys from %s", len(self._keys), source)


def _normal_url(url: str) -> str:
    return url.strip().rstrip("/").lower()
