"""The connector's check of the Bot Framework token (channels/teams/auth.py), against the emulator."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import jwt
import pytest

from channels.teams.auth import KeySetUnavailable, TokenValidator, Unauthorized
from channels.teams.emulator import FORGERIES, ISSUER, BotConnectorEmulator


def validator_for(emulator: BotConnectorEmulator, **options: Any) -> TokenValidator:
    env = emulator.env()
    return TokenValidator(env["TEAMS_APP_ID"], env["TEAMS_ISSUER"], env["TEAMS_OPENID_METADATA_URL"],
                          **options)


def check(validator: TokenValidator, token: str, service_url: str, channel_id: str = "msteams") -> dict:
    return asyncio.run(validator.validate(f"Bearer {token}", service_url, channel_id))


def test_a_token_signed_as_the_bot_framework_signs_is_accepted(emulator: BotConnectorEmulator) -> None:
    claims = check(validator_for(emulator), emulator.activity_token(), emulator.service_url)
    assert claims["aud"] == emulator.app_id and claims["iss"] == ISSUER


@pytest.mark.parametrize("kind", FORGERIES)
def test_each_forged_token_is_refused(emulator: BotConnectorEmulator, kind: str) -> None:
    with pytest.raises(Unauthorized):
        check(validator_for(emulator), emulator.forged_token(kind), emulator.service_url)


def test_a_token_used_for_another_service_url_is_refused(emulator: BotConnectorEmulator) -> None:
    with pytest.raises(Unauthorized, match="serviceurl"):
        check(validator_for(emulator), emulator.activity_token(), "https://attacker.example/")


def test_a_trailing_slash_in_the_service_url_does_not_matter(emulator: BotConnectorEmulator) -> None:
    check(validator_for(emulator), emulator.activity_token(), emulator.service_url.rstrip("/"))


@pytest.mark.parametrize("claim", ["serviceurl", "nbf", "exp", "iss", "aud"])
def test_a_token_without_a_required_claim_is_refused(emulator: BotConnectorEmulator, claim: str) -> None:
    with pytest.raises(Unauthorized):
        check(validator_for(emulator), emulator.activity_token(without=(claim,)), emulator.service_url)


def test_a_token_not_yet_valid_is_refused(emulator: BotConnectorEmulator) -> None:
    token = emulator.activity_token(nbf=int(time.time()) + 3600)
    with pytest.raises(Unauthorized, match="ImmatureSignature"):
        check(validator_for(emulator), token, emulator.service_url)


def test_other_algorithms_are_refused(emulator: BotConnectorEmulator) -> None:
    hs256 = jwt.encode({"aud": emulator.app_id, "iss": ISSUER}, "secret" * 8, algorithm="HS256",
                       headers={"kid": emulator._kid})
    unsigned = jwt.encode({"aud": emulator.app_id, "iss": ISSUER}, None, algorithm="none")
    for token in (hs256, unsigned):
        with pytest.raises(Unauthorized, match="algorithm"):
            check(validator_for(emulator), token, emulator.service_url)


@pytest.mark.parametrize("header", [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt"])
def test_a_missing_or_malformed_authorization_header_is_refused(emulator: BotConnectorEmulator,
                                                               header: str | None) -> None:
    with pytest.raises(Unauthorized):
        asyncio.run(validator_for(emulator).validate(header, emulator.service_url))


def test_a_key_not_endorsed_for_the_channel_is_refused(emulator: BotConnectorEmulator) -> None:
    with pytest.raises(Unauthorized, match="endorsed"):
        check(validator_for(emulator), emulator.activity_token(), emulator.service_url, channel_id="webchat")


def test_without_an_app_id_everything_is_refused_and_nothing_fetched(emulator: BotConnectorEmulator) -> None:
    validator = TokenValidator("", ISSUER, emulator.env()["TEAMS_OPENID_METADATA_URL"])
    with pytest.raises(Unauthorized, match="TEAMS_APP_ID"):
        check(validator, emulator.activity_token(), emulator.service_url)
    assert emulator.requests == {"metadata": 0, "keys": 0, "token": 0}


def test_keys_are_fetched_on_first_use_not_before_and_then_cached(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator)
    assert emulator.requests["metadata"] == 0 and emulator.requests["keys"] == 0

    async def three_requests() -> None:
        for _ in range(3):
            await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)

    asyncio.run(three_requests())
    assert emulator.requests["metadata"] == 1 and emulator.requests["keys"] == 1


def test_a_configured_key_set_url_is_used_without_the_metadata(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator, jwks_url=emulator.base_url + "/v1/.well-known/keys")
    check(validator, emulator.activity_token(), emulator.service_url)
    assert emulator.requests["metadata"] == 0 and emulator.requests["keys"] == 1


def test_an_unknown_key_id_refreshes_the_keys_once(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator, min_refresh_seconds=0)

    async def scenario() -> None:
        await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)
        emulator.rotate_keys()
        await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)
        with pytest.raises(Unauthorized, match="unknown key id"):
            await validator.validate(f"Bearer {emulator.activity_token(kid='no-such-key')}",
                                     emulator.service_url)

    asyncio.run(scenario())
    assert emulator.requests["keys"] == 3  # first use, the rotated key, the unknown kid: once each


def test_unknown_key_ids_cannot_make_it_fetch_more_often_than_allowed(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator, min_refresh_seconds=60)

    async def scenario() -> None:
        await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)
        for n in range(5):
            with pytest.raises(Unauthorized):
                await validator.validate(f"Bearer {emulator.activity_token(kid=f'k{n}')}", emulator.service_url)

    asyncio.run(scenario())
    assert emulator.requests["keys"] == 1


def test_an_unreachable_key_service_refuses_as_unavailable(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator)
    validator.openid_metadata_url = "http://127.0.0.1:9/v1/.well-known/openidconfiguration"
    with pytest.raises(KeySetUnavailable):
        check(validator, emulator.activity_token(), emulator.service_url)


def test_keys_already_fetched_survive_a_failed_refresh(emulator: BotConnectorEmulator) -> None:
    validator = validator_for(emulator, min_refresh_seconds=0)

    async def scenario() -> None:
        await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)
        validator.openid_metadata_url = "http://127.0.0.1:9/unreachable"
        with pytest.raises(Unauthorized, match="unknown key id"):
            await validator.validate(f"Bearer {emulator.activity_token(kid='new')}", emulator.service_url)
        await validator.validate(f"Bearer {emulator.activity_token()}", emulator.service_url)

    asyncio.run(scenario())
