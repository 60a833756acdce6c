"""Talk to the running assistant over Rasa's REST channel, as a signed-in web user or anonymously.

    .venv-app/bin/python scripts/say.py [--as demo] [--sender ID] "start the 3.4 check for NW/2026/0012"

Signs the identity with var/secrets/identity_secret (as the web app does). For trying the bot by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("message", nargs="+")
    parser.add_argument("--as", dest="user", help="web username to sign in as (omit: anonymous)")
    parser.add_argument("--sender", default="cli")
    parser.add_argument("--rasa", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    args = parser.parse_args()
    body: dict = {"sender": args.sender, "message": " ".join(args.message)}
    if args.user:
        secret_file = ROOT / "var" / "secrets" / "identity_secret"
        os.environ.setdefault("IDENTITY_SECRET", secret_file.read_text().strip())
        from channels.identity import issue_claim

        body["metadata"] = {"identity": issue_claim(args.user, "web")}
    request = urllib.request.Request(f"{args.rasa}/webhooks/rest/webhook", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        for reply in json.loads(response.read()):
            if "text" in reply:
                print(reply["text"])
            if reply.get("buttons"):
                print("  [" + "] [".join(b["title"] for b in reply["buttons"]) + "]")
            if "custom" in reply:
                print("  custom:", json.dumps(reply["custom"]))


if __name__ == "__main__":
    main()
