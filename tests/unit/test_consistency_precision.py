"""Precision of the consistency search on a labelled set of real JJG/JJF titles, on each store: of the top k
matches per query, at least PRECISION_FLOOR on average are ones a reviewer expects (and every expected one is
found within k)."""
from engine.consistency.search import Probe, overlaps
from engine.specifications.models import Specification
from tests.fixtures.consistency.labelled import QUERIES, SPECS

K = 2
PRECISION_FLOOR = 0.75


def _seed(engine, clock):
    with engine.db.transaction() as session:
        for i, (number, title, quantity, field) in enumerate(SPECS):
            session.add(Specification(id=f"S-{i:03d}", type=number.split()[0], title=title, number=number,
                                      stage="published", level="national", kind="new", livelihood=False,
                                      confidential=False, drafting_units=[], drafters=[], extensions=[],
                                      documents={}, proposal={"measured_quantity": quantity, "field": field},
                                      created_at=clock.now(), updated_at=clock.now()))


def precision_at_k(engine, k: int = K) -> tuple[float, float]:
    precisions, recalled = [], 0
    with engine.db.transaction() as session:
        for (title, quantity, field, scope), expected in QUERIES:
            found = [m.number for m in overlaps(session, Probe(title, quantity, field, scope), top_k=k)]
            hits = len(set(found) & expected)
            precisions.append(hits / min(k, len(expected)) if found else 0.0)
            recalled += hits == min(k, len(expected))
    return sum(precisions) / len(precisions), recalled / len(QUERIES)


def test_precision_at_k_on_the_labelled_set(engine, clock):
    _seed(engine, clock)
    precision, recall = precision_at_k(engine)
    print(f"precision@{K} = {precision:.3f}, full recall in {recall:.0%} of {len(QUERIES)} queries")
    assert precision >= PRECISION_FLOOR


def test_the_index_follows_the_registry_in_the_same_transaction(engine, clock):
    _seed(engine, clock)
    with engine.db.transaction() as session:
        session.get(Specification, "S-000").title = "电磁流量计检定规程（已更名为涡街）"
        session.flush()
        assert [m.number for m in overlaps(session, Probe(title="涡街流量计"), top_k=3)][:2] \
            .count("JJG 1033—2007") == 1
    try:
        with engine.db.transaction() as session:
            session.get(Specification, "S-001").title = "完全无关的名称"
            session.flush()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    with engine.db.transaction() as session:  # the rollback took the index change with it
        assert "JJG 1029—2007" in [m.number for m in overlaps(session, Probe(title="涡街流量计"), top_k=3)]
