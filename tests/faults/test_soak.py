"""The soak in CI size: the real server under the mixed load for ``MTCFLOW_SOAK_SECONDS`` (default 25) per store,
no 5xx, no failed request, no unexpected refusal, and no growth of RSS, file descriptors or database connections
(medians of the last third against the first third after a warm-up). The 10-minute run is
``python -m tests.faults.soak --minutes 10 [--postgres URL]``."""
from __future__ import annotations

import os

import pytest

from engine.access import accounts as users
from engine.access.actors import Grant
from tests.conftest import PASSWORD, make_engine
from tests.faults import soak
from tests.faults.soak import MIB, Sample

SECONDS = float(os.environ.get("MTCFLOW_SOAK_SECONDS", "25"))
WARMUP = SECONDS / 5


@pytest.fixture
def seeded(db_url):
    eng = make_engine(db_url)
    with eng.db.transaction() as session:
        for name, role in soak.USERS.items():
            users.create_user(session, name, PASSWORD, [Grant(role)], actor="test")
    eng.close()
    return db_url


def test_mixed_load_without_errors_or_growth(seeded, tmp_path):
    result = soak.soak(seeded, tmp_path, PASSWORD, SECONDS, interval=0.5)
    print("\n" + result.summary(WARMUP))
    assert result.server_errors == 0, result.failures
    assert result.unexpected == 0, result.failures
    actions = {action for action, _ in result.statuses}
    assert actions >= {"login", "inbox", "start", "claim", "complete", "board", "fire"}, actions
    assert [g for g in result.growths(WARMUP) if g.grew] == []


def _samples(values: list[float]) -> list[Sample]:
    return [Sample(float(i), int(v * MIB), 10, 3) for i, v in enumerate(values)]


def test_growth_is_judged_on_medians_after_warm_up():
    warm_then_flat = _samples([50, 80, 100, 101, 180, 100, 102, 101, 100, 103, 101, 102])  # one spike
    judged = soak.growth(warm_then_flat, "rss", warmup=2, ratio=0.10, slack=0)
    assert not judged.grew and judged.first == 101 * MIB
    leaking = _samples([100 + 10 * i for i in range(12)])
    assert soak.growth(leaking, "rss", warmup=2, ratio=0.10, slack=0).grew
    with pytest.raises(ValueError, match="too few"):
        soak.growth(_samples([100] * 7), "rss", warmup=2, ratio=0.1, slack=0)
