"""The contact network's layout (services/network/layout.py): a tidy layered tree, whatever the
forest, and bad parent data (cycles, unknown parents) resolved without looping."""

import math
import random
from collections.abc import Mapping
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.network.layout import LAYER_GAP, X_STEP, layered_layout, resolve_forest

Parents = dict[int, int | None]
Order = dict[int, tuple]

NAMES = st.sampled_from(["ada", "Ben", "ben", "cleo", "dev", "Émile", "zoë"])  # ties on purpose


@st.composite
def forests(draw: st.DrawFn, max_size: int = 60) -> tuple[Parents, Order]:
    """A random forest: each node's parent is None or a node drawn before it; ids are
    random and unordered, names repeat so the id must break ties."""
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_size))
    parents: Parents = {}
    for index, node in enumerate(ids):
        parents[node] = (None if index == 0 or draw(st.booleans())
                         else ids[draw(st.integers(0, index - 1))])
    return parents, {node: (draw(NAMES),) for node in ids}


@st.composite
def tangles(draw: st.DrawFn) -> tuple[Parents, Order]:
    """Any parent data at all: a node may name itself, any other node (cycles) or an id
    that is not a node."""
    ids = draw(st.lists(st.integers(1, 200), unique=True, min_size=1, max_size=40))
    choices = st.one_of(st.none(), st.sampled_from(ids), st.integers(201, 210))
    return ({node: draw(choices) for node in ids}, {node: (draw(NAMES),) for node in ids})


def key(order: Mapping[int, tuple], node: int) -> tuple:
    return (order[node], node)


def children_of(forest: Mapping[int, int | None], order: Order) -> dict[int | None, list[int]]:
    kids: dict[int | None, list[int]] = {}
    for node, parent in forest.items():
        kids.setdefault(parent, []).append(node)
    for group in kids.values():
        group.sort(key=lambda n: key(order, n))
    return kids


def depth_of(forest: Mapping[int, int | None], node: int) -> int:
    depth = 0
    while (parent := forest[node]) is not None:
        node, depth = parent, depth + 1
        assert depth <= len(forest), "the forest has a cycle"
    return depth


def subtree(kids: Mapping[int | None, list[int]], node: int) -> list[int]:
    found = [node]
    for member in found:
        found.extend(kids.get(member, []))
    return found


def assert_tidy(parents: Parents, order: Order) -> dict[int, tuple[float, float]]:
    """Every property of a tidy layered tree; returns the layout."""
    position = layered_layout(parents, order)
    forest = resolve_forest(parents, order)
    assert set(position) == set(parents)  # every node placed
    kids = children_of(forest, order)
    depth = {node: depth_of(forest, node) for node in forest}
    for node, (_x, y) in position.items():
        assert y == depth[node] * LAYER_GAP
    layers: dict[int, list[float]] = {}
    for node, (x, _y) in position.items():
        layers.setdefault(depth[node], []).append(x)
    for xs in layers.values():  # no two nodes overlap (so no two share a position)
        xs.sort()
        assert all(b - a >= X_STEP - 1e-6 for a, b in pairwise(xs))
    for parent, group in kids.items():
        xs = [position[kid][0] for kid in group]
        assert all(a < b for a, b in pairwise(xs))  # children in order
        centre = position[parent][0] if parent is not None else 0.0
        assert math.isclose(centre, (xs[0] + xs[-1]) / 2, abs_tol=1e-6)  # parent centred
        # Sibling subtrees never interleave (no crossing edges) and each one sits as close
        # to the ones before it as allowed: exactly X_STEP apart at some depth.
        reach_right: dict[int, float] = {}
        for kid in group:
            reach_left: dict[int, float] = {}
            right_here: dict[int, float] = {}
            for member in subtree(kids, kid):
                d, x = depth[member], position[member][0]
                reach_left[d] = min(reach_left.get(d, math.inf), x)
                right_here[d] = max(right_here.get(d, -math.inf), x)
            gaps = [reach_left[d] - reach_right[d] for d in reach_left if d in reach_right]
            if gaps:
                assert min(gaps) == pytest.approx(X_STEP)
            reach_right.update(right_here)
    return position


@given(forests())
def test_random_forests_are_laid_out_as_tidy_trees(case: tuple[Parents, Order]) -> None:
    parents, order = case
    assert resolve_forest(parents, order) == parents  # a forest is left as it is
    assert_tidy(parents, order)


@given(forests(), st.randoms(use_true_random=False))
def test_the_layout_is_deterministic(case: tuple[Parents, Order], rnd: random.Random) -> None:
    parents, order = case
    first = layered_layout(parents, order)
    items = list(parents.items())
    rnd.shuffle(items)
    assert layered_layout(dict(items), dict(reversed(order.items()))) == first
    assert layered_layout(parents, order) == first


@given(tangles())
def test_cycles_and_unknown_parents_are_resolved_without_looping(
        case: tuple[Parents, Order]) -> None:
    parents, order = case
    forest = resolve_forest(parents, order)
    for node, parent in forest.items():
        depth_of(forest, node)  # terminates: no cycle is left
        if parent is not None:
            assert parent == parents[node]  # links are only ever cut, never invented
        elif parents[node] in parents and parents[node] != node:
            # Cut in a cycle: the node lies on a cycle of the original data and comes first
            # among its members by name, then id.
            cycle, step = [node], parents[node]
            while step != node:
                assert step is not None and len(cycle) <= len(parents)
                cycle.append(step)
                step = parents[step]
            assert node == min(cycle, key=lambda n: key(order, n))
    assert_tidy(parents, order)


def test_a_two_cycle_hangs_from_its_first_member_by_name() -> None:
    parents: Parents = {1: 2, 2: 1, 3: 1}
    order: Order = {1: ("zoe",), 2: ("amir",), 3: ("bea",)}
    assert resolve_forest(parents, order) == {1: 2, 2: None, 3: 1}


def test_a_small_tree_has_the_expected_coordinates() -> None:
    # 1 has children 2 (with 4, 5) and 3 (with 7, 8); 6 is a second root. The two
    # grandchild pairs are what keeps 2 and 3 apart; 1 sits halfway between them; the two
    # roots are centred on x = 0.
    parents: Parents = {1: None, 2: 1, 3: 1, 4: 2, 5: 2, 6: None, 7: 3, 8: 3}
    order: Order = {node: (str(node),) for node in parents}
    position = layered_layout(parents, order)
    x = {node: position[node][0] for node in parents}
    assert x[5] - x[4] == x[7] - x[5] == x[8] - x[7] == X_STEP
    assert x[2] == (x[4] + x[5]) / 2 and x[3] == (x[7] + x[8]) / 2
    assert x[3] - x[2] == 2 * X_STEP and x[1] == (x[2] + x[3]) / 2
    assert x[6] - x[1] == X_STEP and x[1] + x[6] == 0
    assert [position[n][1] for n in (1, 2, 4, 6)] == [0, LAYER_GAP, 2 * LAYER_GAP, 0]


def test_a_deep_chain_and_a_wide_star_need_no_recursion() -> None:
    chain: Parents = {n: (n - 1 if n > 1 else None) for n in range(1, 20_001)}
    position = layered_layout(chain, {n: () for n in chain})
    assert {x for x, _y in position.values()} == {0.0}
    assert position[20_000][1] == 19_999 * LAYER_GAP
    star: Parents = {0: None, **{n: 0 for n in range(1, 5001)}}
    position = layered_layout(star, {n: (n % 7,) for n in star})
    xs = sorted(position[n][0] for n in range(1, 5001))
    assert xs[-1] - xs[0] == 4999 * X_STEP and position[0][0] == 0.0
