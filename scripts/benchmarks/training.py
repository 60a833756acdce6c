"""Training time: from cold, warm (populated cache), and scripts/train.py with unchanged inputs.

Cold and warm runs call scripts/train.py's own `train()` (so the `rasa train` arguments are the
ones `make train` uses) with its build folder pointed at a temporary directory: a fresh
RASA_CACHE_DIRECTORY and a temporary --out, leaving build/models and build/rasa-cache alone.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import train as trainer  # scripts/train.py

from .quiet import output_to

ROOT = Path(__file__).resolve().parents[2]
UP_TO_DATE = "Model up to date"


@contextmanager
def _build_dir_at(folder: Path, models: str) -> Iterator[None]:
    """Point train.py's cache (BUILD/rasa-cache) and output (MODELS) into `folder`."""
    missing = [name for name in ("BUILD", "MODELS", "train") if not hasattr(trainer, name)]
    if missing:
        raise RuntimeError(f"scripts/train.py no longer has {missing}; update benchmarks/training.py")
    saved = trainer.BUILD, trainer.MODELS
    trainer.BUILD, trainer.MODELS = folder, folder / models
    try:
        yield
    finally:
        trainer.BUILD, trainer.MODELS = saved


def _timed_train(folder: Path, models: str, name: str, log: Path) -> float:
    with _build_dir_at(folder, models), output_to(log):
        started = time.monotonic()
        model = trainer.train(name)
        seconds = time.monotonic() - started
    if not model.exists():
        raise RuntimeError(f"rasa train wrote no model at {model}")
    return round(seconds, 1)


def cold_and_warm(log: Path, attempts: int = 2) -> dict[str, Any]:
    """`rasa train` into a fresh temporary cache (cold), then again with that cache populated (warm).

    Rasa's output goes to `log`. If the inputs change in between (someone regenerates bot/data on
    a shared checkout), the warm run would partly retrain: the pair is measured again, up to
    `attempts` times, and `inputs_changed` says whether it never held still."""
    for _ in range(attempts):
        folder = Path(tempfile.mkdtemp(prefix="iioc-bench-train-"))
        name = f"iioc-{trainer.model_hash()}"
        try:
            cold = _timed_train(folder, "models-cold", name, log)
            warm = _timed_train(folder, "models-warm", name, log)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        inputs_changed = f"iioc-{trainer.model_hash()}" != name
        if not inputs_changed:
            break
    return {"cold_s": cold, "warm_cache_s": warm, "model": name, "inputs_changed": inputs_changed, "log": str(log)}


def unchanged_inputs() -> dict[str, Any]:
    """Time `python scripts/train.py` when build/models already holds the model for these inputs.

    If the inputs changed since `make train` (`train.py --check` fails) nothing is run: the bench
    never trains into build/models."""
    check = subprocess.run([sys.executable, "scripts/train.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    if check.returncode != 0:
        return {"unchanged_s": None, "retrained": None, "said": check.stdout.strip() + " (run make train first)"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "scripts/train.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    return {"unchanged_s": round(seconds, 2), "retrained": UP_TO_DATE not in done.stdout,
            "said": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""}
