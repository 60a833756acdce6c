"""A local stand-in for Microsoft's Bot Connector service, for development and tests.

On 127.0.0.1 it plays both sides of the Bot Framework that the Teams connector talks to:
- login.botframework.com: OpenID metadata (/v1/.well-known/openidconfiguration) and the key set
  (/v1/.well-known/keys) from an RSA key pair made at start;
- login.microsoftonline.com: client-credentials tokens at /botframework.com/oauth2/v2.0/token,
  only for this emulator's app id and password;
- the channel: sends Teams activities to the bot's webhook, signed as the Bot Framework signs
  them (RS256; iss, aud = app id, serviceurl, nbf, exp; kid header), and records the bot's
  replies at /v3/conversations/{id}/activities (refusing any not carrying a token it issued).
Tests also forge bad tokens (FORGERIES) and switch services off (`outage`).

Run standalone: python -m channels.teams.emulator --port 3978 --bot http://127.0.0.1:5005
prints the environment to start Rasa with, then sends each line typed as a Teams message
("/submit <payload>" sends a card submission) and prints the replies.
App environment only (PyJWT, cryptography, botbuilder-schema); never imported by Rasa.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import jwt
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from channels.teams.settings import DEFAULTS

ISSUER = DEFAULTS["TEAMS_ISSUER"]
CONNECTOR_AUDIENCE = "https://api.botframework.com"
TOKEN_SCOPE = DEFAULTS["TEAMS_TOKEN_SCOPE"]
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"
TOKEN_PATH = "/botframework.com/oauth2/v2.0/token"
WEBHOOK_PATH = "/webhooks/teams/webhook"
# Fixed so that a practitioner can be linked to the test user before the emulator starts
# (python -m casestore link-teams-identity demo --object-id DEMO_AAD_OBJECT_ID --tenant-id TENANT_ID).
TENANT_ID = "6f0c1a52-0000-4000-8000-0000000e7e57"
DEMO_AAD_OBJECT_ID = "0d3f5a1c-0000-4000-8000-00000000de70"
FORGERIES = ("bad_signature", "wrong_audience", "expired", "wrong_issuer", "wrong_serviceurl")


@dataclass(frozen=True)
class TeamsUser:
    id: str
    name: str
    aad_object_id: str | None
    tenant_id: str | None
    conversation_id: str


DEMO_USER = TeamsUser("29:demo-user", "Demo Practitioner", DEMO_AAD_OBJECT_ID, TENANT_ID,
                      "a:demo-personal-chat")


@dataclass
class Turn:
    """One activity sent to the bot: the HTTP answer, and the replies that followed it."""

    emulator: "BotConnectorEmulator"
    conversation_id: str
    status: int
    elapsed: float
    mark: int  # how many activities the conversation had before this turn

    def activities(self) -> list[dict[str, Any]]:
        return self.emulator.activities(self.conversation_id)[self.mark:]

    def replies(self) -> list[dict[str, Any]]:
        return [a for a in self.activities() if a.get("type") == "message"]

    def wait(self, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        """The first `count` message replies, waiting up to `timeout` seconds for them."""
        if not self.emulator.wait_until(lambda: len(self.replies()) >= count, timeout):
            raise TimeoutError(f"{len(self.replies())} of {count} replies arrived in {timeout:.0f} s: "
                               f"{json.dumps(self.replies())[:2000]}")
        return self.replies()[:count]


class BotConnectorEmulator:
    def __init__(self, app_id: str | None = None, app_password: str | None = None,
                 port: int = 0, bot_url: str | None = None) -> None:
        self.app_id = app_id or str(uuid.uuid4())
        self.app_password = app_password or secrets.token_urlsafe(24)
        self.bot_url = bot_url
        self._signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = f"emulator-{uuid.uuid4().hex[:8]}"
        self._issued_keys = {self._kid: self._signing_key}  # all keys, to check the bot's tokens
        self._cond = threading.Condition()
        self._activities: dict[str, list[dict[str, Any]]] = {}
        self.deliveries: list[dict[str, Any]] = []  # every reply attempt: path, headers, status
        self.requests = {"metadata": 0, "keys": 0, "token": 0}
        self.replies_down = False
        self.token_down = False
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def service_url(self) -> str:
        return self.base_url + "/"

    def start(self) -> "BotConnectorEmulator":
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True,
                                        name="bot-connector-emulator")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        self._server.server_close()

    def attach(self, rasa_url: str) -> "BotConnectorEmulator":
        """Send activities to the Teams webhook of the Rasa server at rasa_url."""
        self.bot_url = rasa_url.rstrip("/") + WEBHOOK_PATH
        return self

    def env(self) -> dict[str, str]:
        """The environment that points the Teams connector at this emulator."""
        return {
            "TEAMS_APP_ID": self.app_id,
            "TEAMS_APP_PASSWORD": self.app_password,
            "TEAMS_OPENID_METADATA_URL": self.base_url + METADATA_PATH,
            "TEAMS_JWKS_URL": "",
            "TEAMS_ISSUER": ISSUER,
            "TEAMS_TOKEN_URL": self.base_url + TOKEN_PATH,
            "TEAMS_TOKEN_SCOPE": TOKEN_SCOPE,
        }

    # -- keys and tokens ------------------------------------------------------------------------
    def key_set(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self._signing_key.public_key(), as_dict=True)
        jwk |= {"kid": self._kid, "use": "sig", "endorsements": ["msteams"]}
        return {"keys": [jwk]}

    def rotate_keys(self) -> None:
        """Publish a new signing key in place of the current one (as Microsoft does)."""
        self._signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = f"emulator-{uuid.uuid4().hex[:8]}"
        self._issued_keys[self._kid] = self._signing_key

    def activity_token(self, service_url: str | None = None, key: Any = None, kid: str | None = None,
                       without: tuple[str, ...] = (), **claims: Any) -> str:
        """A token as the Bot Framework puts on the activities it sends; claims override,
        `without` leaves claims out."""
        now = int(time.time())
        payload = {"serviceurl": service_url or self.service_url, "nbf": now - 5,
                   "exp": now + 3600, "iss": ISSUER, "aud": self.app_id} | claims
        payload = {name: value for name, value in payload.items() if name not in without}
        return jwt.encode(payload, key or self._signing_key, algorithm="RS256",
                          headers={"kid": kid or self._kid})

    def forged_token(self, kind: str) -> str:
        """A token the connector must refuse; kind is one of FORGERIES."""
        now = int(time.time())
        forgeries: dict[str, Callable[[], str]] = {
            "bad_signature": lambda: self.activity_token(
                key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "wrong_audience": lambda: self.activity_token(aud=str(uuid.uuid4())),
            "expired": lambda: self.activity_token(nbf=now - 7200, exp=now - 3600),
            "wrong_issuer": lambda: self.activity_token(iss="https://sts.windows.net/not-the-bot-framework/"),
            "wrong_serviceurl": lambda: self.activity_token(service_url="https://attacker.example/"),
        }
        return forgeries[kind]()

    def _connector_token(self, client_id: str) -> dict[str, Any]:
        now = int(time.time())
        token = jwt.encode({"aud": CONNECTOR_AUDIENCE, "iss": f"https://sts.windows.net/{TENANT_ID}/",
                            "appid": client_id, "iat": now, "nbf": now, "exp": now + 3600},
                           self._signing_key, algorithm="RS256", headers={"kid": self._kid})
        return {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600, "access_token": token}

    def _issued_token_ok(self, authorization: str | None) -> bool:
        token = (authorization or "").removeprefix("Bearer ").strip()
        try:
            key = self._issued_keys[jwt.get_unverified_header(token).get("kid")]
            claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], audience=CONNECTOR_AUDIENCE)
        except (jwt.PyJWTError, KeyError):
            return False
        return claims.get("appid") == self.app_id

    # -- talking to the bot ---------------------------------------------------------------------
    def new_user(self, name: str = "Test Practitioner", with_identity: bool = True) -> TeamsUser:
        """A Teams user with a personal chat of their own (no AAD id or tenant if not with_identity)."""
        suffix = uuid.uuid4().hex[:12]
        return TeamsUser(f"29:user-{suffix}", name, str(uuid.uuid4()) if with_identity else None,
                         TENANT_ID if with_identity else None, f"a:chat-{suffix}")

    def activity(self, user: TeamsUser, text: str | None = None, value: Any = None,
                 activity_type: str = "message", conversation_type: str = "personal") -> dict[str, Any]:
        return Activity(
            type=activity_type, id=uuid.uuid4().hex, timestamp=datetime.now(timezone.utc),
            channel_id="msteams", service_url=self.service_url, locale="en-GB",
            from_property=ChannelAccount(id=user.id, name=user.name, aad_object_id=user.aad_object_id),
            conversation=ConversationAccount(id=user.conversation_id, conversation_type=conversation_type,
                                             tenant_id=user.tenant_id),
            recipient=ChannelAccount(id=f"28:{self.app_id}", name="IIOC protocol assistant"),
            text=text, value=value,
            channel_data={"tenant": {"id": user.tenant_id}} if user.tenant_id else None,
        ).serialize()

    def send_activity(self, activity: dict[str, Any], token: str | None = None,
                      authorization: str | None = None, timeout: float = 30) -> Turn:
        """POST an activity to the bot, by default with a valid token; the Turn it started."""
        if not self.bot_url:
            raise RuntimeError("The emulator does not know the bot: call attach(rasa_url) first")
        if authorization is None:
            authorization = f"Bearer {token or self.activity_token()}"
        conversation_id = activity["conversation"]["id"]
        mark = len(self.activities(conversation_id))
        headers = {"Content-Type": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        request = urllib.request.Request(self.bot_url, data=json.dumps(activity).encode(),
                                         headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return Turn(self, conversation_id, status, time.monotonic() - started, mark)

    def send_message(self, text: str, user: TeamsUser = DEMO_USER, token: str | None = None,
                     authorization: str | None = None) -> Turn:
        return self.send_activity(self.activity(user, text=text), token, authorization)

    def send_submit(self, payload: str | dict[str, Any], user: TeamsUser = DEMO_USER,
                    token: str | None = None) -> Turn:
        """A card submission: a button's data {"payload": ...} (or a whole `value` dict), no text."""
        value = payload if isinstance(payload, dict) else {"payload": payload}
        return self.send_activity(self.activity(user, value=value), token)

    # -- what the bot sent ----------------------------------------------------------------------
    def activities(self, conversation_id: str) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._activities.get(conversation_id, []))

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.5))
        return True

    def count(self, request: str) -> None:
        with self._cond:
            self.requests[request] += 1

    @contextlib.contextmanager
    def outage(self, replies: bool = True, token: bool = False) -> Iterator[None]:
        """Within the block, the reply endpoint (and optionally the token service) answers 503."""
        self.replies_down, self.token_down = replies, token
        try:
            yield
        finally:
            self.replies_down = self.token_down = False

    def _record_delivery(self, conversation_id: str, headers: dict[str, str], body: bytes) -> int:
        status = 200
        if self.replies_down:
            status = 503
        elif not self._issued_token_ok(headers.get("authorization")):
            status = 401
        elif not headers.get("content-type", "").startswith("application/json"):
            status = 415
        with self._cond:
            self.deliveries.append({"conversation_id": conversation_id, "headers": headers, "status": status})
            if status == 200:
                self._activities.setdefault(conversation_id, []).append(json.loads(body))
            self._cond.notify_all()
        return status


def _handler_for(emulator: BotConnectorEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _reply(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == METADATA_PATH:
                emulator.count("metadata")
                self._reply(200, {"issuer": ISSUER, "jwks_uri": emulator.base_url + KEYS_PATH,
                                  "id_token_signing_alg_values_supported": ["RS256"],
                                  "token_endpoint_auth_methods_supported": ["private_key_jwt"]})
            elif self.path == KEYS_PATH:
                emulator.count("keys")
                self._reply(200, emulator.key_set())
            else:
                self._reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urllib.parse.urlsplit(self.path).path
            parts = path.strip("/").split("/")
            if path == TOKEN_PATH:
                self._token(urllib.parse.parse_qs(body.decode()))
            elif len(parts) >= 4 and parts[:2] == ["v3", "conversations"] and parts[3] == "activities":
                headers = {key.lower(): value for key, value in self.headers.items()}
                status = emulator._record_delivery(urllib.parse.unquote(parts[2]), headers, body)
                self._reply(status, {"id": uuid.uuid4().hex} if status == 200 else {"error": status})
            else:
                self._reply(404, {"error": "not found"})

        def _token(self, form: dict[str, list[str]]) -> None:
            emulator.count("token")
            field = lambda name: (form.get(name) or [""])[0]  # noqa: E731
            if emulator.token_down:
                self._reply(503, {"error": "temporarily_unavailable"})
            elif field("grant_type") != "client_credentials" or field("scope") != TOKEN_SCOPE:
                self._reply(400, {"error": "invalid_request"})
            elif (field("client_id"), field("client_secret")) != (emulator.app_id, emulator.app_password):
                self._reply(401, {"error": "invalid_client"})
            else:
                self._reply(200, emulator._connector_token(field("client_id")))

    return Handler


def start_for_tests(var: Path) -> tuple[dict[str, str], BotConnectorEmulator, Callable[[], None]]:
    """Start an emulator for the test stack: its environment for every process, itself, stop.

    Call `emulator.attach(rasa_url)` once the Rasa server's address is known.
    """
    emulator = BotConnectorEmulator().start()
    return emulator.env(), emulator, emulator.stop


def _describe(activity: dict[str, Any]) -> str:
    if activity.get("text"):
        return activity["text"]
    lines = []
    for attachment in activity.get("attachments", []):
        content = attachment.get("content", {})
        for item in content.get("body", []):
            if item.get("type") == "TextBlock":
                lines.append(item["text"])
            for choice in item.get("choices", []):
                lines.append(f"  ( ) {choice['title']}  -> /submit {choice['value']}")
            for column in item.get("columns", []):
                lines += [block["text"] for block in column.get("items", []) if block.get("type") == "TextBlock"]
        for action in content.get("actions", []):
            if action.get("type") == "Action.Submit" and "data" in action:
                lines.append(f"  [{action['title']}]  -> /submit {action['data'].get('payload')}")
    return "\n".join(lines) or json.dumps(activity)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=3978)
    parser.add_argument("--bot", default="http://127.0.0.1:5005", help="the Rasa server's address")
    parser.add_argument("--app-id")
    parser.add_argument("--app-password")
    args = parser.parse_args()
    emulator = BotConnectorEmulator(args.app_id, args.app_password, port=args.port).start()
    emulator.attach(args.bot)
    print("Start the Rasa server with:\n" + "\n".join(f"  export {k}='{v}'" for k, v in emulator.env().items()))
    print(f"\nSending to {emulator.bot_url} as {DEMO_USER.name} (AAD {DEMO_AAD_OBJECT_ID}, tenant {TENANT_ID}).")
    print("Type a message, or /submit <payload>; Ctrl-D quits.")
    try:
        while True:
            line = input("> ").strip()
            if not line:
                continue
            turn = (emulator.send_submit(line.removeprefix("/submit ").strip()) if line.startswith("/submit ")
                    else emulator.send_message(line))
            if turn.status != 200:
                print(f"!! the bot answered HTTP {turn.status}")
            emulator.wait_until(lambda: bool(turn.replies()), 20)
            emulator.wait_until(lambda: False, 1.5)  # later replies of the same turn
            for reply in turn.replies():
                print(_describe(reply))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
