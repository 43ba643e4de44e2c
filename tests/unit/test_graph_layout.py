"""The contact network's layout (services/network/layout.py): a tidy layered tree, whatever the
forest, and bad parent data (cycles, unknown parents) resolved without looping."""

import math
import random
from collections.abc import Mapping
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.network.layout import (
    INDENT,
    LAYER_GAP,
    NODE_WIDTH,
    ROW_STEP,
    X_STEP,
    build_forest,
    fitted,
    layered_layout,
    legible_width,
    outline,
    resolve_forest,
    span,
)

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


@given(forests())
def test_an_outline_is_one_node_a_row_in_depth_first_order(case: tuple[Parents, Order]
                                                          ) -> None:
    parents, order = case
    forest = build_forest(parents, order)
    rows = outline(forest)
    assert set(rows) == set(parents)
    by_row = sorted(rows, key=lambda n: rows[n][1])
    assert [rows[n][1] for n in by_row] == [i * ROW_STEP for i in range(len(by_row))]
    for index, node in enumerate(by_row):
        assert rows[node][0] == forest.depth[node] * INDENT
        parent = forest.parent[node]
        if parent is not None:  # below its parent, under it only its parent's subtree
            assert rows[parent][1] < rows[node][1]
            between = by_row[by_row.index(parent) + 1:index]
            assert all(forest.depth[n] > forest.depth[parent] for n in between)
        kids = forest.children[node]  # children in their order
        assert [rows[k][1] for k in kids] == sorted(rows[k][1] for k in kids)
    # Its width grows with the depth only.
    assert span(rows) == (max(forest.depth.values(), default=0) * INDENT + NODE_WIDTH
                          if rows else 0.0)


def test_a_wide_star_becomes_an_outline_no_wider_than_a_node_and_an_indent() -> None:
    """500 people known directly (one LinkedIn import): a tidy row 102,000 wide, or an
    outline that fits a 390 px phone at the legible zoom."""
    star: Parents = {0: None, **{n: 0 for n in range(1, 501)}}
    forest = build_forest(star, {n: (n,) for n in star})
    phone = legible_width(358, 0.1)
    assert phone == pytest.approx(358 * 0.8 / 0.75)
    tree, as_outline = fitted(forest, None)
    assert not as_outline and span(tree) == 500 * X_STEP - (X_STEP - NODE_WIDTH)
    rows, as_outline = fitted(forest, phone)
    assert as_outline and span(rows) == NODE_WIDTH + INDENT <= phone
    assert len({y for _x, y in rows.values()}) == 501  # a node a row
    # A laptop's graph (740 px): the 500 share rows, three to a row, none wider than it.
    laptop = legible_width(740, 0.1)
    rows, as_outline = fitted(forest, laptop)
    assert as_outline and span(rows) == INDENT + 2 * X_STEP + NODE_WIDTH <= laptop
    assert len(set(rows.values())) == 501  # no two nodes in one place
    assert len({y for _x, y in rows.values()}) == 1 + 167
    assert [rows[n] for n in (1, 2, 3, 4)] == [(INDENT, ROW_STEP), (INDENT + X_STEP, ROW_STEP),
                                               (INDENT + 2 * X_STEP, ROW_STEP),
                                               (INDENT, 2 * ROW_STEP)]
    # A tree that fits stays a tree.
    small: Parents = {0: None, 1: 0}
    assert fitted(build_forest(small, {0: (), 1: ()}), phone) == (
        {0: (0.0, 0.0), 1: (0.0, float(LAYER_GAP))}, False)
