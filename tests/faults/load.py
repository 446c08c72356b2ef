"""A seeded mix of actions over HTTP, with a ledger of what the server acknowledged (2xx) and what is in doubt."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import requests


@dataclass
class Entry:
    action: str
    subject: str  # the instance or task acted on ("" for a start that never answered)
    status: int | None  # None: no answer (connection lost: in doubt)
    body: dict | None = None


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)

    def acknowledged(self, action: str) -> list[Entry]:
        return [e for e in self.entries if e.action == action and e.status is not None and 200 <= e.status < 300]

    @property
    def in_doubt(self) -> list[Entry]:
        return [e for e in self.entries if e.status is None]

    def count(self, predicate) -> int:
        return sum(1 for e in self.entries if predicate(e))


class Client:
    """Two users (secretariat, authority) driving approvals and short timers; retries nothing on its own."""

    def __init__(self, base: str, tokens: dict[str, str], seed: int = 7):
        self.base, self.tokens = base, tokens
        self.random = random.Random(seed)
        self.ledger = Ledger()
        self.session = requests.Session()

    def _call(self, user: str, action: str, subject: str, path: str, json: dict | None = None) -> Entry:
        try:
            response = self.session.post(f"{self.base}{path}", json=json or {}, timeout=30,
                                         headers={"Authorization": f"Bearer {self.tokens[user]}"})
            body = response.json() if response.content else None
            entry = Entry(action, subject, response.status_code, body)
        except requests.RequestException:
            entry = Entry(action, subject, None)
            self.session = requests.Session()  # drop the dead keep-alive connection
        self.ledger.entries.append(entry)
        return entry

    def _get(self, user: str, path: str, **params) -> dict | None:
        try:
            response = self.session.get(f"{self.base}{path}", params=params, timeout=30,
                                        headers={"Authorization": f"Bearer {self.tokens[user]}"})
            return response.json() if response.status_code == 200 else None
        except requests.RequestException:
            self.session = requests.Session()
            return None

    def _ready_tasks(self, user: str, element: str) -> list[dict]:
        page = self._get(user, "/tasks", claimable="true", per_page=50)
        mine = self._get(user, "/tasks", mine="true", per_page=50)
        items = (page or {}).get("items", []) + (mine or {}).get("items", [])
        return [t for t in items if t["element_id"] == element and t["state"] in ("ready", "claimed")]

    def step(self) -> Entry:
        roll = self.random.random()
        if roll < 0.25:
            entry = self._call("sec", "start", "", "/instances", {"process_key": "approval"})
        elif roll < 0.35:
            entry = self._call("auth", "start", "", "/instances", {"process_key": "crash_timer"})
        elif roll < 0.50:
            entry = self._act_on_task("sec", "submit", claim=True)
        elif roll < 0.75:
            entry = self._act_on_task("sec", "submit", claim=False,
                                      data={"title": f"t{len(self.ledger.entries)}"})
        elif roll < 0.85:
            entry = self._act_on_task("auth", "review", claim=False,
                                      data={"approved": self.random.random() < 0.7})
        elif roll < 0.92:
            entry = self._act_on_task("auth", "decide", claim=False, data={})
        else:
            entry = self._cancel_one()
        if entry.action == "start" and entry.body and entry.status == 201:
            entry.subject = entry.body["id"]
        return entry

    def _act_on_task(self, user: str, element: str, claim: bool, data: dict | None = None) -> Entry:
        tasks = self._ready_tasks(user, element)
        if not tasks:
            return self._call("sec", "start", "", "/instances", {"process_key": "approval"})
        task = self.random.choice(tasks)
        if claim:
            return self._call(user, "claim", task["id"], f"/tasks/{task['id']}/claim")
        return self._call(user, "complete", task["id"], f"/tasks/{task['id']}/complete", {"data": data})

    def _cancel_one(self) -> Entry:
        page = self._get("sec", "/instances", process_key="approval", state="running", per_page=50)
        items = (page or {}).get("items", [])
        if not items:
            return self._call("sec", "start", "", "/instances", {"process_key": "approval"})
        target = self.random.choice(items)
        return self._call("sec", "cancel", target["id"], f"/instances/{target['id']}/cancel",
                          {"reason": "fault test"})

    def run(self, actions: int, on_action=None, wait_for_server=None) -> Ledger:
        """Do ``actions`` actions; ``on_action(i)`` may kill the server; ``wait_for_server()`` blocks until it
        answers again (the client keeps going against the restarted server)."""
        for i in range(actions):
            entry = self.step()
            if on_action:
                on_action(i)
            if entry.status is None and wait_for_server:
                wait_for_server()
            elif entry.status is not None and entry.status >= 500:
                time.sleep(0.05)
        return self.ledger
