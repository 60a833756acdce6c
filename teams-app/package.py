"""Build the Teams app package to upload ("sideload"): manifest.json with this deployment's
values filled in, plus the two icons, zipped flat (Teams wants the files at the zip's root).

    TEAMS_APP_ID=<Azure bot app id> WEB_PUBLIC_URL=https://iioc.example.org \
        python teams-app/package.py            # -> build/teams-app/iioc-teams-app.zip

Standard library only.
"""
from __future__ import annotations

import argparse
import os
import re
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "build" / "teams-app" / "iioc-teams-app.zip"
ICONS = ("color.png", "outline.png")


def filled_manifest(app_id: str, web_public_url: str) -> str:
    uuid.UUID(app_id)  # the bot's Microsoft App ID is a GUID: fail early on a typo
    url = urlsplit(web_public_url)
    if url.scheme != "https" or not url.hostname:
        raise ValueError("WEB_PUBLIC_URL must be the web app's public https address")
    values = {"TEAMS_APP_ID": app_id, "WEB_PUBLIC_URL": web_public_url.rstrip("/"),
              "WEB_PUBLIC_HOST": url.hostname}
    text = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], (HERE / "manifest.json").read_text())
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-id", default=os.environ.get("TEAMS_APP_ID", ""))
    parser.add_argument("--web-public-url", default=os.environ.get("WEB_PUBLIC_URL", ""))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    manifest = filled_manifest(args.app_id, args.web_public_url)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(args.output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", manifest)
        for icon in ICONS:
            package.write(HERE / icon, icon)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
