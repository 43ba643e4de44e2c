"""(d) The contact network graph's cost in Python: ``layout.layered_layout`` alone, and the
whole ``building.network()`` (the contacts query, the referral counts, the grouping by source,
the layout for a phone's graph and the node and edge dictionaries) on a SQLite database, for
random referral forests of 100, 1,000 and 10,000 contacts (fixed seed). Prints the median
wall-clock and CPU time of several runs; asserts nothing.

    export PATH=$PWD/.venv/bin:$PATH
    python bench/graph_layout.py            # --sizes 100,1000,10000  --runs 9

Also run, after the servers, by bench/run_all.py.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from report import machine, table

SEED = 20261126
SIZES = (100, 1000, 10_000)
RUNS = 9
TARGET_MS = 100.0  # at 1,000 contacts
DIRECT_SHARE = 0.25  # the rest were referred by an earlier contact
INTERVIEWED_SHARE = 0.1
FIRST = ("Ada", "Ben", "Chiara", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas",
         "Kemal", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás")
LAST = ("Okafor", "Rivera", "Chen", "Nguyen", "Smith", "Kowalski", "García", "Haddad",
        "Ito", "Jensen", "Kaur", "Larsen", "Moreau", "Novak", "Osei", "Petrov")


@dataclass
class GraphTiming:
    contacts: int
    depth: int
    layout_ms: tuple[float, float]  # (wall clock, CPU)
    network_ms: tuple[float, float]  # full_limit as in the app (1,000): collapsed beyond it
    shown: int
    network_all_ms: tuple[float, float]  # every contact shown


def referral_forest(n: int, rng: random.Random) -> tuple[list[int | None], list[str]]:
    """Parent index (or None for a direct contact) and name of each of ``n`` contacts."""
    parents = [None if i == 0 or rng.random() < DIRECT_SHARE else rng.randrange(i)
               for i in range(n)]
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(n)]
    return parents, names


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``work`` (after one warm-up run: imports,
    statement caches). On a shared machine the CPU time is the steadier figure: it leaves
    out the time spent waiting for a core."""
    work()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def seed_student(session: object, n: int, parents: list[int | None], names: list[str],
                 rng: random.Random) -> int:
    """A student with one exploration holding the forest, a tenth of it interviewed."""
    from sqlmodel import Session

    from infoview_app.models import (
        Contact,
        ContactSource,
        Interview,
        InterviewStatus,
        PipelineStage,
        Role,
    )
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.journey import explorations

    assert isinstance(session, Session)
    user = user_accounts.create_user(session, role=Role.STUDENT, name=f"Bench {n}",
                                     email=f"bench{n}@bench.example", password="bench-password-1")
    assert user.id is not None
    exploration = explorations.start_exploration(session, user.id, "Physical therapy")
    stages, sources = list(PipelineStage), list(ContactSource)
    ids: list[int] = []
    for parent, name in zip(parents, names, strict=True):
        contact = Contact(owner_id=user.id, exploration_id=exploration, name=name,
                          stage=rng.choice(stages),
                          source=ContactSource.REFERRAL if parent is not None
                          else rng.choice(sources),
                          referred_by_id=ids[parent] if parent is not None else None)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        ids.append(contact.id)
    held = datetime(2026, 3, 4, 15, tzinfo=UTC)
    session.add_all(Interview(owner_id=user.id, contact_id=cid, exploration_id=exploration,
                              scheduled_at=held - timedelta(days=i),
                              status=InterviewStatus.COMPLETED)
                    for i, cid in enumerate(rng.sample(ids, int(n * INTERVIEWED_SHARE))))
    session.commit()
    return user.id


def measure(sizes: tuple[int, ...] = SIZES, runs: int = RUNS) -> list[GraphTiming]:
    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.models import ContactSource
    from infoview_app.services.develop.contacts import fold
    from infoview_app.services.network import building, layout

    phone_width = layout.legible_width(358, 0.1)  # a 390 px phone's graph, 358 px wide
    every_source = frozenset(ContactSource)

    rng = random.Random(SEED)
    results = []
    with tempfile.TemporaryDirectory(prefix="infoview-graph-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'graph.db'}"
        db.upgrade_to_head(url)
        engine = db.engine_for(url)
        for n in sizes:
            parents, names = referral_forest(n, rng)
            layout_parents = {i: parents[i] for i in range(n)}
            order = {i: (0, fold(names[i]), i) for i in range(n)}
            with Session(engine, expire_on_commit=False) as session:
                owner = seed_student(session, n, parents, names, rng)

            def network(limit: int = building.FULL_LIMIT, owner: int = owner,
                        groups: frozenset[str] = frozenset()) -> dict:
                """As a 390 px phone's page asks (its graph 358 px wide): groups of people
                known the same way closed, unless ``groups`` opens them."""
                with Session(engine, expire_on_commit=False) as session:
                    return building.network(session, owner, full_limit=limit,
                                            open_groups=groups, max_width=phone_width)

            shown = network()
            depth = max((row["depth"] for row in shown["figures"]["by_depth"]), default=0)
            results.append(GraphTiming(
                contacts=n, depth=depth,
                layout_ms=median_ms(partial(layout.layered_layout, layout_parents, order), runs),
                network_ms=median_ms(network, runs), shown=shown["shown_contacts"],
                network_all_ms=median_ms(partial(network, n, groups=every_source), runs)))
            print(f"  {n:,} contacts done", flush=True)
        engine.dispose()
    return results


def table_rows(results: list[GraphTiming]) -> tuple[list[str], list[list[str]]]:
    """The table's header and rows; times are "wall / CPU" medians in milliseconds."""
    header = ["contacts", "deepest degree", "layered_layout p50 (ms)",
              "network() p50 (ms), as a phone asks (groups closed)", "contacts shown",
              "network() p50 (ms), all shown (groups open)", f"target {TARGET_MS:.0f} ms at 1,000"]

    def pair(times: tuple[float, float]) -> str:
        return " / ".join(f"{t:.2f}" if t < 10 else f"{t:.1f}" for t in times)

    rows = [[f"{r.contacts:,}", str(r.depth), pair(r.layout_ms), pair(r.network_ms),
             f"{r.shown:,}", pair(r.network_all_ms),
             ("met" if max(r.network_ms[0], r.network_all_ms[0]) <= TARGET_MS else "missed")
             if r.contacts == 1000 else ""] for r in results]
    return header, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="contacts per network, comma-separated")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per figure")
    args = parser.parse_args()
    print(f"Machine: {machine()}", flush=True)
    results = measure(tuple(int(n) for n in args.sizes.split(",")), args.runs)
    print("\n" + table(*table_rows(results)))


if __name__ == "__main__":
    main()
