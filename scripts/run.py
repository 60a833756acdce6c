"""Start the assistant: Rasa server, action server and web app, on loopback; Ctrl-C stops all three.

Run by `make run` after setup and training. Applies the case-store migrations, creates secrets
under var/secrets on first run, seeds a demo team/user/case when the database has no
practitioners, starts the three processes, waits until each answers, and prints where to open
the assistant and where the logs are. Also used by the integration tests (`Stack`).
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
APP_PY = ROOT / ".venv-app" / "bin" / "python"


def secret(var: Path, name: str) -> str:
    """A secret kept under var/secrets, generated on first use (owner-only file)."""
    path = var / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(var: Path, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for a throw-away stack (tests, bench): free loopback ports, new secrets,
    new SQLite case and tracker stores under `var`; `overrides` win (e.g. PostgreSQL URLs)."""
    fresh = {key: str(free_port()) for key in ("RASA_PORT", "ACTION_PORT", "WEB_PORT")}
    fresh |= {"IDENTITY_SECRET": secrets.token_hex(16), "FLASK_SECRET_KEY": secrets.token_hex(16),
              "DATABASE_URL": f"sqlite:///{var / 'casestore.db'}",
              "TRACKER_DB_URL": f"sqlite:///{var / 'tracker.db'}"}
    return default_env(var, fresh | (overrides or {}))


def default_env(var: Path = VAR, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every process gets: overrides, then the caller's environment, then defaults."""
    env = dict(os.environ) | (overrides or {})
    env.setdefault("DATABASE_URL", f"sqlite:///{var / 'casestore.db'}")
    env.setdefault("TRACKER_DB_URL", f"sqlite:///{var / 'tracker.db'}")
    env.setdefault("RASA_PORT", "5005")
    env.setdefault("ACTION_PORT", "5055")
    env.setdefault("WEB_PORT", "8000")
    env.setdefault("IIOC_VAR_DIR", str(var))
    env.setdefault("IDENTITY_SECRET", secret(var, "identity_secret"))
    env.setdefault("FLASK_SECRET_KEY", secret(var, "flask_secret"))
    env.setdefault("DEMO_PASSWORD", secret(var, "demo_password"))
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"
    env["RASA_URL"] = f"http://127.0.0.1:{env['RASA_PORT']}"
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}"
    for key, value in _channel_defaults().items():
        env.setdefault(key, value)
    env["PYTHONPATH"] = str(ROOT)
    env["SANIC_HOST"] = "127.0.0.1"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _channel_defaults() -> dict[str, str]:
    """Defaults the channels declare for their settings (channels/*/settings.py, stdlib only)."""
    sys.path.insert(0, str(ROOT))
    try:
        from channels.teams.settings import DEFAULTS
    except ImportError:
        return {}
    return dict(DEFAULTS)


def current_model() -> Path:
    return ROOT / (ROOT / "build" / "models" / "CURRENT").read_text().strip()


def wait_for(url: str, timeout: float, proc: subprocess.Popen | None = None,
             any_status: bool = False) -> None:
    """Wait until url answers (with any_status, an HTTP error status counts as an answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError:
            if any_status:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Stack:
    """The three processes, started and stopped together."""

    env: dict[str, str]
    logs: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def prepare(self, seed_demo: bool = True) -> None:
        run = lambda *args: subprocess.run([str(APP_PY), "-m", *args], cwd=ROOT, env=self.env, check=True)  # noqa: E731
        run("casestore", "migrate")
        if seed_demo:
            run("casestore", "seed-demo")

    def _start(self, name: str, command: list[str]) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def start_actions(self) -> None:
        self._start("actions", [str(APP_PY), "-m", "rasa_sdk", "--actions", "actions",
                                "--port", self.env["ACTION_PORT"]])

    def start_rasa(self, model: Path | None = None) -> None:
        self._start("rasa", [str(RASA_BIN), "run", "--model", str(model or current_model()),
                             "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                             "--interface", "127.0.0.1", "--port", self.env["RASA_PORT"]])

    def start_web(self) -> None:
        self._start("web", [str(APP_PY), "-m", "channels.web", "--port", self.env["WEB_PORT"]])

    def wait_actions(self, timeout: float = 60) -> None:
        wait_for(f"{self.env['ACTION_SERVER_URL']}/health", timeout, self.procs.get("actions"))

    def wait_rasa(self, timeout: float = 180) -> None:
        wait_for(f"{self.env['RASA_URL']}/webhooks/rest/", timeout, self.procs.get("rasa"))

    def wait_web(self, timeout: float = 60) -> None:
        wait_for(f"http://127.0.0.1:{self.env['WEB_PORT']}/health", timeout, self.procs.get("web"),
                 any_status=True)

    def start_all(self) -> None:
        """Start the three processes and wait until each answers; on failure stop what started."""
        try:
            self.start_actions()
            self.start_rasa()
            self.start_web()
            self.wait_actions()
            self.wait_web()
            self.wait_rasa()
        except Exception:
            self.stop_all()
            self.print_log_tails()
            raise

    def print_log_tails(self, characters: int = 4000) -> None:
        for log in sorted(self.logs.glob("*.log")):
            print(f"----- {log.name} -----\n{log.read_text(errors='replace')[-characters:]}", file=sys.stderr)

    def stop(self, name: str, timeout: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop_all(self) -> None:
        for name in ("web", "rasa", "actions"):
            self.stop(name)


def main() -> int:
    env = default_env()
    stack = Stack(env=env, logs=VAR / "log")
    started = time.monotonic()
    print("==> Applying case-store migrations", flush=True)
    stack.prepare()
    print("==> Starting the action server, the Rasa server and the web app", flush=True)
    print("    (the Rasa server takes about 10-40 s to load its model)", flush=True)
    try:
        stack.start_all()
    except Exception as error:
        print(f"!! start-up failed: {error}. Logs: {stack.logs}", file=sys.stderr)
        return 1
    print(f"""
The assistant is running ({time.monotonic() - started:.0f} s to start).

  Open:         http://127.0.0.1:{env['WEB_PORT']}/   (first run: user 'demo', see var/secrets/demo_password)
  Health:       http://127.0.0.1:{env['WEB_PORT']}/health
  Rasa REST:    {env['RASA_URL']}/webhooks/rest/webhook   (loopback only)
  Logs:         {stack.logs}/{{rasa,actions,web}}.log
  Case store:   {env['DATABASE_URL']}

Press Ctrl-C to stop all three.""", flush=True)
    stop = {"now": False}
    # Installed explicitly: a process started in the background inherits SIGINT as ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.update(now=True))
    while not stop["now"]:
        for name, proc in list(stack.procs.items()):
            if proc.poll() is not None:
                print(f"!! {name} exited with {proc.returncode}; see {stack.logs}/{name}.log", file=sys.stderr)
                stop["now"] = True
        time.sleep(0.5)
    print("\n==> Stopping", flush=True)
    stack.stop_all()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
