"""The Teams channel inside a Sanic server, with a scripted bot in place of Rasa's agent.

Runs in the Rasa environment (started by tests/teams/conftest.py): channels are created from
bot/credentials.yml by Rasa's own code (env vars expanded, class path resolved) and registered
with Rasa's `register`, so the connector runs exactly as in `rasa run`, without a trained model.
The scripted bot answers:
  "buttons:N"       text with N buttons (payloads /choose{"option":"<i>"})
  "cite:3.4,2.3"    text, then the custom payload {"citations": [...], "protocol_version": "09"}
  "slow:S"          waits S seconds, then "done"
  "boom"            raises
  "whoami"          the verified identity claim's sub/idp/tid as JSON text
  anything else     "echo: <text>"
GET /received lists the messages that reached the bot.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
from types import SimpleNamespace
from typing import Any

from rasa.core.channels.channel import UserMessage, register
from rasa.core.run import create_http_input_channels
from rasa.shared.core.events import BotUttered
from sanic import Sanic, response

from channels.identity import verify_claim

received: list[dict[str, Any]] = []


async def scripted_bot(message: UserMessage) -> None:
    received.append({"sender_id": message.sender_id, "text": message.text,
                     "input_channel": message.input_channel, "metadata": message.metadata})
    text = message.text or ""
    utterances: list[BotUttered] = []
    if text.startswith("buttons:"):
        buttons = [{"title": f"Option {i}", "payload": f'/choose{{"option":"{i}"}}'}
                   for i in range(1, int(text.split(":")[1]) + 1)]
        utterances.append(BotUttered("Pick one", data={"buttons": buttons}))
    elif text.startswith("cite:"):
        citations = text.split(":", 1)[1].split(",")
        utterances += [BotUttered("Here is what the protocol says."),
                       BotUttered(data={"custom": {"citations": citations, "protocol_version": "09"}})]
    elif text.startswith("slow:"):
        await asyncio.sleep(float(text.split(":")[1]))
        utterances.append(BotUttered("done"))
    elif text == "boom":
        raise RuntimeError("scripted failure")
    elif text == "whoami":
        claims = verify_claim((message.metadata or {}).get("identity"))
        utterances.append(BotUttered(json.dumps({k: claims.get(k) for k in ("sub", "idp", "tid")})))
    else:
        utterances.append(BotUttered(f"echo: {text}"))
    for utterance in utterances:  # as rasa.core.processor sends them
        await message.output_channel.send_response(message.sender_id, utterance.message())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--credentials", default="bot/credentials.yml")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s - %(message)s")
    app = Sanic("teams_harness")
    app.ctx.agent = SimpleNamespace(handle_message=scripted_bot)
    register(create_http_input_channels(None, args.credentials), app, route="/webhooks/")

    @app.get("/received")
    async def list_received(request: Any) -> Any:
        return response.json(received)

    app.run(host="127.0.0.1", port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
