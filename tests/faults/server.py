"""A real ``mtcflow serve`` process for fault tests: started, killed with SIGKILL, restarted on one database."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from engine.config import ROOT
from tests.conftest import BPMN, FIXTURES

# A short timer, so timers come due during the load and while the server is dead.
CRASH_TIMER_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:mtc="http://mtcflow.dev/bpmn/1.0"
    id="defs_crash_timer" targetNamespace="http://mtcflow.dev/test">
  <bpmn:process id="crash_timer" name="crash timer" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lane_auth" name="批准机关" mtc:role="authority">
        <bpmn:flowNodeRef>decide</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait" name="wait">
      <bpmn:timerEventDefinition id="t1"><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="decide"/>
    <bpmn:userTask id="decide" name="decide"/>
    <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "processes"
    directory.mkdir(exist_ok=True)
    shutil.copy(BPMN / "approval.bpmn", directory / "approval.bpmn")
    (directory / "crash_timer.bpmn").write_text(CRASH_TIMER_BPMN, encoding="utf-8")
    return directory


class Server:
    """``python -m api.cli.main serve`` on a free port, with the embedded timer worker."""

    def __init__(self, database_url: str, tmp_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.log = tmp_path / "server.log"
        self.env = {**os.environ, "MTCFLOW_DATABASE_URL": database_url, "MTCFLOW_SECRET_KEY": "k" * 40,
                    "MTCFLOW_PROCESSES_DIR": str(processes_dir(tmp_path)), "MTCFLOW_FORMS_DIR": str(FIXTURES / "forms"),
                    "MTCFLOW_TIMER_POLL": "1", "MTCFLOW_LOGIN_LIMIT": "1000 per minute", "PYTHONUNBUFFERED": "1"}
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 60.0) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "api.cli.main", "serve", "--port", str(self.port)],
                                            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not come up: {self.log.read_text()[-3000:]}")

    def kill9(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()
