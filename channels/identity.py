"""Signed identity claims passed from the channels (web app, Teams connector) to the action
server in message metadata `"identity"`.

A claim is a JWT (HS256, audience "iioc-actions", at most 15 minutes) naming the practitioner
as their channel knows them: `{"sub", "idp": "web" | "teams", "tid" (teams only), ...}`.
A web claim may also carry `"pdc"`: the SHA-256 of the message text the practitioner chose to send
with its personal details after the web app held it back (`confirms(claims, text)`), so the action
server takes that choice only for that text, from the web app, signed.
This module runs in both environments (Rasa and app): it imports only the standard library
and PyJWT. `identity_secret()` is the single reader of IDENTITY_SECRET.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Any

import jwt

AUDIENCE = "iioc-actions"
ALGORITHM = "HS256"
IDPS = frozenset({"web", "teams"})
DEFAULT_TTL_SECONDS = 900
MAX_TTL_SECONDS = 900
LEEWAY_SECONDS = 30
MIN_SECRET_BYTES = 32
REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIRED_CLAIMS = ("sub", "idp", "aud", "iat", "exp")
CONFIRMED_TEXT = "pdc"  # personal details confirmed: the digest of the text sent as typed


class InvalidClaim(Exception):
    """The identity claim is missing, forged, expired or malformed; `str()` says which."""


class IdentityConfigError(RuntimeError):
    """The signing secret is unusable (e.g. IDENTITY_SECRET shorter than 32 bytes)."""


def default_secret_file() -> Path:
    """`<var>/secrets/identity_secret`, where <var> is IIOC_VAR_DIR or the repository's var/."""
    var = os.environ.get("IIOC_VAR_DIR", "").strip()
    return (Path(var) if var else REPO_ROOT / "var") / "secrets" / "identity_secret"


def identity_secret(secret_file: Path | None = None) -> str:
    """IDENTITY_SECRET, else the secret file (created on first use, mode 0600)."""
    secret = os.environ.get("IDENTITY_SECRET", "").strip()
    if not secret:
        secret = _read_or_create_secret_file(secret_file or default_secret_file())
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise IdentityConfigError(
            f"The identity secret must be at least {MIN_SECRET_BYTES} bytes long; "
            "unset IDENTITY_SECRET to use a generated one."
        )
    return secret


def _read_or_create_secret_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret


def issue_claim(
    sub: str,
    idp: str,
    tid: str | None = None,
    ttl: int = DEFAULT_TTL_SECONDS,
    *,
    secret: str | None = None,
    confirmed_text: str | None = None,
) -> str:
    """A signed claim for practitioner `sub` as known to channel `idp` (teams needs `tid`).
    `confirmed_text` (web only): the message the practitioner chose to send with its personal
    details; the claim carries its digest, never the text."""
    if not sub or not isinstance(sub, str):
        raise ValueError("sub must be a non-empty string")
    if idp not in IDPS:
        raise ValueError(f"idp must be one of {sorted(IDPS)}, not {idp!r}")
    if idp == "teams" and not tid:
        raise ValueError("a teams claim needs the tenant id (tid)")
    if ttl > MAX_TTL_SECONDS:
        raise ValueError(f"claims live at most {MAX_TTL_SECONDS} seconds")
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": sub, "idp": idp, "aud": AUDIENCE, "iat": now, "exp": now + ttl
    }
    if tid:
        payload["tid"] = tid
    if confirmed_text is not None:
        if idp != "web":
            raise ValueError("only the web app holds messages back for personal details")
        payload[CONFIRMED_TEXT] = text_digest(confirmed_text)
    return jwt.encode(payload, secret or identity_secret(), algorithm=ALGORITHM)


def verify_claim(token: object, *, secret: str | None = None) -> dict[str, Any]:
    """The claims of a valid token, else InvalidClaim naming what is wrong."""
    if not token or not isinstance(token, str):
        raise InvalidClaim("no identity claim")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret or identity_secret(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError as error:
        raise InvalidClaim("the identity claim has expired") from error
    except jwt.InvalidAudienceError as error:
        raise InvalidClaim("the identity claim is for another audience") from error
    except jwt.MissingRequiredClaimError as error:
        raise InvalidClaim(f"the identity claim lacks '{error.claim}'") from error
    except jwt.InvalidSignatureError as error:
        raise InvalidClaim("the identity claim's signature is not valid") from error
    except jwt.PyJWTError as error:
        raise InvalidClaim(f"the identity claim is not valid ({error})") from error
    _check_claims(claims)
    return claims


def text_digest(text: str) -> str:
    """What a claim says of a message's text (Rasa strips a message's text, so this does too)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def confirms(claims: dict[str, Any], text: str) -> bool:
    """Whether verified `claims` say the web app held `text` back for personal details and the
    practitioner chose to send it as typed."""
    digest = claims.get(CONFIRMED_TEXT)
    return (claims.get("idp") == "web" and isinstance(digest, str)
            and hmac.compare_digest(digest, text_digest(text)))


def _check_claims(claims: dict[str, Any]) -> None:
    if claims.get("idp") not in IDPS:
        raise InvalidClaim(f"unknown identity provider {claims.get('idp')!r}")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise InvalidClaim("the identity claim has no subject")
    if claims["idp"] == "teams" and not claims.get("tid"):
        raise InvalidClaim("a teams identity claim lacks the tenant id")
    if claims["exp"] - claims["iat"] > MAX_TTL_SECONDS + LEEWAY_SECONDS:
        raise InvalidClaim("the identity claim lives longer than allowed")
