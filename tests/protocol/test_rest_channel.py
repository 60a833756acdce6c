"""channels/rest.py in the Rasa environment: the 4,000-character cap with its metadata, NUL
characters dropped, a non-string message read as empty, and a failing conversation store turned
into a reply that says so (instead of Rasa logging it and returning what it had)."""
from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = textwrap.dedent("""
    import asyncio, json, socket
    import aiohttp
    from sanic import Sanic
    from channels.rest import CheckedRestInput
    from channels.tracker_store import TrackerStoreUnavailable

    received = []

    async def on_new_message(message):
        received.append([message.text, message.metadata])
        await message.output_channel.send_text_message(message.sender_id, "an answer")
        if message.text == "break":
            raise TrackerStoreUnavailable("database is locked")

    channel = CheckedRestInput()
    app = Sanic("checked_rest_test")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/" + channel.name())

    async def main():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        replies = {}
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
            for name, message in (("broken", "break"), ("long", "y" * 100000), ("nul", "a\\x00b"),
                                  ("object", {"not": "text"})):
                async with session.post(url, json={"sender": "s", "message": message}) as response:
                    replies[name] = await response.json()
        print(json.dumps({"replies": replies, "received": received}))
        server.close()
        await server.wait_closed()

    asyncio.run(main())
""")


def run_channel() -> dict:
    result = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
                                              "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_rest_channel_caps_cleans_and_reports_an_unsaved_conversation() -> None:
    out = run_channel()
    texts = {name: [reply["text"] for reply in replies] for name, replies in out["replies"].items()}
    assert texts["broken"][0] == "an answer" and "could not be saved" in texts["broken"][1]
    (broken, _), (long_text, long_meta), (nul, _), (obj, _) = out["received"]
    assert len(long_text) == 4000 and long_meta == {"truncated_from": 100000, "truncated_to": 4000}
    assert nul == "ab" and obj == ""
    assert texts["long"] == ["an answer"]


def test_credentials_register_the_checked_channel_under_the_rest_url() -> None:
    credentials = (ROOT / "bot" / "credentials.yml").read_text(encoding="utf-8")
    assert "channels.rest.CheckedRestInput:" in credentials
    assert "\nrest:" not in credentials
