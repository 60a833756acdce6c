"""Serve the web app on loopback with waitress: python -m channels.web [--port 8000]."""
from __future__ import annotations

import argparse
import os

from waitress import serve

from channels.web import create_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    serve(create_app(), host=args.host, port=args.port, threads=8, ident="iioc")


if __name__ == "__main__":
    main()
