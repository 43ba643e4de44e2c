"""The pure layered tree layout of the contact network: a forest from a parent mapping (cycles
and unknown parents resolved), and its tidy placement. No database: any ids and sort keys.

- The referral network is a forest, laid out as a tidy tree: layers by depth, children
  ordered by their sort key then id, every parent centred over its first and last child,
  subtrees packed as close as NODE_GAP allows without overlapping.
- In a cycle, the member first by its sort key (then id) becomes a root and the others keep
  their parent, so the cycle becomes a chain.
- A tree wider than the screen at a legible zoom is drawn as an outline instead: one node a
  row, indented by depth (siblings without children side by side, as many as fit), so that
  no row is ever wider than the screen.
"""

from collections.abc import Mapping
from dataclasses import dataclass

# Node geometry shared with the page: x, y are a node's top-left corner (React Flow's
# position) for a node NODE_WIDTH x NODE_HEIGHT; neighbours in a layer are at least
# NODE_GAP apart, layers LAYER_GAP apart (top to top).
NODE_WIDTH = 180
NODE_HEIGHT = 64
NODE_GAP = 24
LAYER_GAP = 120
X_STEP = NODE_WIDTH + NODE_GAP
# The outline: a child's left edge INDENT right of its parent's, rows ROW_STEP apart.
INDENT = 36
ROW_STEP = NODE_HEIGHT + 20
# A node's label is NODE_FONT px (assets/styles.css); the graph opens at LEGIBLE_ZOOM at
# least, so a label is drawn at 12.75 px or more (WCAG-legible on a phone).
NODE_FONT = 17
LEGIBLE_ZOOM = 0.75

# A node's sort key among its siblings (ties broken by id): the network uses (group, folded
# name, id).
SortKey = tuple[int | str, ...]


def _key(order: Mapping[int, SortKey], node: int) -> tuple[SortKey, int]:
    return (order[node], node)


def resolve_forest(parents: Mapping[int, int | None],
                   order: Mapping[int, SortKey]) -> dict[int, int | None]:
    """``parents`` made a forest: a parent that is not a key (or the node itself) becomes
    None, and in each cycle the member first in ``order`` (then by id) becomes a root.
    The choice depends only on the cycle's members, so it is the same whatever the
    mapping's iteration order."""
    forest = {node: (parent if parent in parents and parent != node else None)
              for node, parent in parents.items()}
    settled: set[int] = set()
    for start in forest:
        path: dict[int, int] = {}  # node -> position on the walk up from start
        walk: list[int] = []
        node: int | None = start
        while node is not None and node not in settled:
            if node in path:
                cycle = walk[path[node]:]
                forest[min(cycle, key=lambda n: _key(order, n))] = None
                break
            path[node] = len(walk)
            walk.append(node)
            node = forest[node]
        settled.update(walk)
    return forest


@dataclass(frozen=True)
class Forest:
    """A resolved forest: each node's parent (None for a root), the roots and each node's
    children in order, every node breadth first, and each node's depth (roots at 0)."""

    parent: dict[int, int | None]
    roots: list[int]
    children: dict[int, list[int]]
    sequence: list[int]
    depth: dict[int, int]


def build_forest(parents: Mapping[int, int | None], order: Mapping[int, SortKey]) -> Forest:
    parent = resolve_forest(parents, order)
    roots: list[int] = []
    children: dict[int, list[int]] = {node: [] for node in parent}
    for node, up in parent.items():
        (roots if up is None else children[up]).append(node)
    roots.sort(key=lambda n: _key(order, n))
    for kids in children.values():
        kids.sort(key=lambda n: _key(order, n))
    sequence = list(roots)
    depth = dict.fromkeys(roots, 0)
    for node in sequence:  # the list grows while it is read: a queue without popping
        sequence.extend(children[node])
        for kid in children[node]:
            depth[kid] = depth[node] + 1
    return Forest(parent, roots, children, sequence, depth)


class _Contour:
    """One side of a subtree's outline: x (relative to the subtree's root) at each depth,
    stored as ``xs[depth] + shift`` so a subtree moves in O(1)."""

    __slots__ = ("shift", "xs")

    def __init__(self, depth: int) -> None:
        self.xs = {depth: 0.0}
        self.shift = 0.0

    def at(self, depth: int) -> float:
        return self.xs[depth] + self.shift

    def set(self, depth: int, x: float) -> None:
        self.xs[depth] = x - self.shift


def layered_layout(parents: Mapping[int, int | None],
                   order: Mapping[int, SortKey]) -> dict[int, tuple[float, float]]:
    """Positions (top-left x, y) of every key of ``parents`` in a tidy layered tree.

    ``parents`` maps each node to its parent (None for a root; an unknown parent or a cycle
    is resolved by ``resolve_forest``); ``order`` gives each node's sort key among its
    siblings (ties broken by id). Depth d is at y = d * LAYER_GAP. Roots are laid side by
    side and centred on x = 0 (a single root sits at x = 0). Linear in the number of nodes
    plus the sum over merges of the shallower subtree's height; no recursion.
    """
    return place(build_forest(parents, order))


def place(forest: Forest) -> dict[int, tuple[float, float]]:
    """The tidy layout of a resolved forest (see layered_layout)."""
    children, depth = forest.children, forest.depth
    offset: dict[int, float] = {}  # x relative to the parent (roots: to the origin)
    outline: dict[int, tuple[_Contour, _Contour]] = {}

    def pack(kids: list[int], top: int) -> tuple[_Contour, _Contour] | None:
        """Place sibling subtrees left to right as close as they fit; set their offsets
        relative to their centre and return the outline around that centre (None if no
        kids). Each merge costs the height of the shallower side."""
        if not kids:
            return None
        left, right = outline.pop(kids[0])
        positions = [0.0]
        for kid in kids[1:]:
            kid_left, kid_right = outline.pop(kid)
            common = min(len(right.xs), len(kid_left.xs))
            at = max(right.at(d) - kid_left.at(d) for d in range(top, top + common)) + X_STEP
            positions.append(at)
            kid_left.shift += at
            kid_right.shift += at
            # Left outline: the earlier siblings' where they reach, the new one's below.
            if len(kid_left.xs) > len(left.xs):
                for d in range(top, top + len(left.xs)):
                    kid_left.set(d, left.at(d))
                left = kid_left
            # Right outline: the new sibling's where it reaches, the earlier ones' below.
            if len(kid_right.xs) >= len(right.xs):
                right = kid_right
            else:
                for d in range(top, top + len(kid_right.xs)):
                    right.set(d, kid_right.at(d))
        centre = (positions[0] + positions[-1]) / 2
        for kid, at in zip(kids, positions, strict=True):
            offset[kid] = at - centre
        left.shift -= centre
        right.shift -= centre
        return left, right

    for node in reversed(forest.sequence):  # children before their parent
        below = pack(children[node], depth[node] + 1)
        if below is None:
            outline[node] = (_Contour(depth[node]), _Contour(depth[node]))
            continue
        for side in below:
            side.set(depth[node], 0.0)
        outline[node] = below
    pack(forest.roots, 0)
    x: dict[int, float] = {}
    for node in forest.sequence:
        parent = forest.parent[node]
        x[node] = offset[node] + (x[parent] if parent is not None else 0.0)
    return {node: (x[node], float(depth[node] * LAYER_GAP)) for node in forest.sequence}




def _runs(forest: Forest, nodes: list[int]) -> list[int | list[int]]:
    """``nodes`` with each run of consecutive leaves gathered in a list."""
    runs: list[int | list[int]] = []
    for node in nodes:
        if forest.children[node]:
            runs.append(node)
        elif runs and isinstance(runs[-1], list):
            runs[-1].append(node)
        else:
            runs.append([node])
    return runs


def outline(forest: Forest, max_width: float | None = None) -> dict[int, tuple[float, float]]:
    """Positions (top-left x, y) of every node as an outline: depth first, a node a row,
    x = depth * INDENT. Consecutive siblings without children share a row, as many as fit
    in ``max_width`` (one if None). Its width grows with the depth only, never with the
    number of siblings."""
    rows: dict[int, tuple[float, float]] = {}
    line = 0
    stack = list(reversed(_runs(forest, forest.roots)))
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            rows[item] = (float(forest.depth[item] * INDENT), float(line * ROW_STEP))
            line += 1
            stack.extend(reversed(_runs(forest, forest.children[item])))
            continue
        left = forest.depth[item[0]] * INDENT
        across = (1 if max_width is None
                  else max(1, int((max_width - left - NODE_WIDTH) // X_STEP) + 1))
        for index, leaf in enumerate(item):
            rows[leaf] = (float(left + index % across * X_STEP),
                          float((line + index // across) * ROW_STEP))
        line += -(-len(item) // across)
    return rows


def span(positions: Mapping[int, tuple[float, float]]) -> float:
    """The width the nodes at these positions take, from the leftmost left edge to the
    rightmost right edge (0 for none)."""
    if not positions:
        return 0.0
    xs = [x for x, _ in positions.values()]
    return max(xs) - min(xs) + NODE_WIDTH


def legible_width(screen_width: float, padding: float) -> float:
    """How wide a layout (in layout units) can be and still fit a graph ``screen_width``
    CSS px wide at LEGIBLE_ZOOM, with React Flow's fitView ``padding`` on each side."""
    return screen_width * (1 - 2 * padding) / LEGIBLE_ZOOM


def fitted(forest: Forest, max_width: float | None
           ) -> tuple[dict[int, tuple[float, float]], bool]:
    """The tidy tree if it is at most ``max_width`` wide (or no width is given), else the
    outline; and whether it is the outline."""
    tree = place(forest)
    if max_width is None or span(tree) <= max_width:
        return tree, False
    return outline(forest, max_width), True
