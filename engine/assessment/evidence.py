"""How a scorecard figure points at the record: each counted item names the events (and instances, tasks) it was
computed from, so an auditor can open ``/instances/{id}/history`` and find the same entries by seq and hash."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from engine.history.models import Event
from engine.rules.workdays import BEIJING


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in Beijing time: a scorecard year is a Chinese calendar year."""
    return (datetime.combine(date(year, 1, 1), time(), BEIJING),
            datetime.combine(date(year + 1, 1, 1), time(), BEIJING))


def in_year(moment: datetime | None, year: int) -> bool:
    start, end = year_bounds(year)
    return moment is not None and start <= moment < end


def item(event: Event, ok: bool | None = None, **extra) -> dict:
    """One counted thing with its evidence: the event (id; its place ``seq`` and ``hash`` in the instance's chain, as
    ``/instances/{id}/history`` shows it) and the instance (stream) it belongs to."""
    entry = {"event_id": event.id, "instance_id": event.stream, "seq": event.seq, "hash": event.hash,
             "type": event.type, "at": event.at.isoformat()}
    if ok is not None:
        entry["ok"] = ok
    entry.update({k: v for k, v in extra.items() if v is not None})
    return entry


@dataclass
class Indicator:
    """One figure: ``value`` of ``total`` (``None`` when nothing was due that year), with the items behind it."""

    key: str
    name: str
    value: int = 0
    total: int = 0
    items: list[dict] = field(default_factory=list)

    def count(self, ok: bool, entry: dict, weight: int = 1, of: int = 1) -> None:
        self.value += weight if ok else 0
        self.total += of
        self.items.append(entry)

    def view(self) -> dict:
        return {"key": self.key, "name": self.name, "value": self.value, "total": self.total,
                "rate": round(self.value / self.total, 4) if self.total else None,
                "event_ids": sorted({i["event_id"] for i in self.items if "event_id" in i}),
                "instance_ids": sorted({i["instance_id"] for i in self.items if i.get("instance_id")}),
                "items": self.items}
