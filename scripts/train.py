"""Train the Rasa model only when what shapes it has changed.

The model is named by a hash of its inputs: build/config.yml (which names the content-hashed
spaCy pipeline), everything under bot/domain and bot/data (including the files generated from
knowledge/), and the spaCy pipeline's own files. An existing build/models/iioc-<hash>.tar.gz is
reused; build/models/CURRENT names the model to serve. Standard library only.

    python scripts/train.py [--check]     # --check: exit 1 if training would be needed
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
MODELS = BUILD / "models"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def _files(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def input_files() -> list[Path]:
    pipeline = ROOT / (BUILD / "spacy" / "CURRENT").read_text().strip()
    return _files(BUILD / "config.yml", ROOT / "bot" / "domain", ROOT / "bot" / "data", pipeline)


def model_hash() -> str:
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train(name: str) -> Path:
    MODELS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="2",
               RASA_CACHE_DIRECTORY=str(BUILD / "rasa-cache"), RASA_TELEMETRY_ENABLED="false")
    command = [str(RASA), "train", "--config", "build/config.yml", "--domain", "bot/domain",
               "--data", "bot/data", "--out", str(MODELS), "--fixed-model-name", name]
    print(f"==> Training the Rasa model {name} (about 2-4 minutes from cold on 2 cores)", flush=True)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    print(f"==> Trained {name} in {time.monotonic() - started:.0f} s", flush=True)
    return MODELS / f"{name}.tar.gz"


def main() -> int:
    name = f"iioc-{model_hash()}"
    model = MODELS / f"{name}.tar.gz"
    if "--check" in sys.argv:
        print(model.relative_to(ROOT) if model.exists() else f"needs training: {name}")
        return 0 if model.exists() else 1
    if model.exists():
        print(f"==> Model up to date: {model.relative_to(ROOT)} (inputs unchanged, no training)")
    else:
        model = train(name)
    (MODELS / "CURRENT").write_text(model.relative_to(ROOT).as_posix() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
