"""A layered top-to-bottom layout of the process graph (kb.process), computed in Python so the
page can draw it as inline SVG: layers by longest path, dummy points for edges that skip
layers, barycentre ordering to reduce crossings, boxes sized to their wrapped text."""
from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from knowledge.model import Process, Step

BOX_WIDTH = 250
DUMMY_WIDTH = 24
H_GAP = 36
V_GAP = 64
LINE_HEIGHT = 17
PADDING = 14
WRAP = {"step": 30, "outcome": 30, "decision": 24, "edge": 22}
CITE_ROOM = 10  # space above the text for the paragraph number
DIAMOND_EXTRA = (70, 44)  # added to the text box's width and height for a decision's diamond
MARGIN = 24


@dataclass
class Node:
    id: str
    step: Step | None  # None: a dummy point on a long edge
    lines: list[str] = field(default_factory=list)
    width: float = DUMMY_WIDTH
    height: float = 0
    layer: int = 0
    x: float = 0  # centre
    y: float = 0  # top

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def cx(self) -> float:
        return self.x


@dataclass(frozen=True)
class EdgePath:
    source: str
    target: str
    label: str | None
    points: list[tuple[float, float]]
    label_lines: list[str] = field(default_factory=list)  # drawn only for a decision's branches
    label_at: tuple[float, float] = (0, 0)


@dataclass(frozen=True)
class Layout:
    nodes: list[Node]
    edges: list[EdgePath]
    width: float
    height: float
    order: list[Step]  # the steps in reading order (layer by layer), for the text alternative


def _layers(process: Process) -> dict[str, int]:
    """Longest-path layering (edges that would close a cycle are ignored)."""
    ids = [s.id for s in process.steps]
    outgoing: dict[str, list[str]] = defaultdict(list)
    for edge in process.edges:
        outgoing[edge.from_].append(edge.to)
    topo: list[str] = []
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        state[node] = 1
        for target in outgoing[node]:
            if state.get(target) is None:
                visit(target)
        state[node] = 2
        topo.append(node)

    for node in ids:
        if node not in state:
            visit(node)
    topo.reverse()
    position = {node: i for i, node in enumerate(topo)}
    layer = {node: 0 for node in ids}
    for node in topo:
        for target in outgoing[node]:
            if position[target] > position[node]:
                layer[target] = max(layer[target], layer[node] + 1)
    return layer


def _size(node: Node) -> None:
    step = node.step
    if step is None:
        return
    node.lines = textwrap.wrap(step.label, WRAP[step.kind], break_long_words=False)
    node.width = BOX_WIDTH
    node.height = len(node.lines) * LINE_HEIGHT + 2 * PADDING + CITE_ROOM
    if step.kind == "decision":
        node.width = BOX_WIDTH + DIAMOND_EXTRA[0]
        node.height += DIAMOND_EXTRA[1]


def layout(process: Process, sweeps: int = 6) -> Layout:
    layer_of = _layers(process)
    nodes = {s.id: Node(s.id, s, layer=layer_of[s.id]) for s in process.steps}
    for node in nodes.values():
        _size(node)
    chains: list[tuple[str, str, str | None, list[str]]] = []  # (source, target, label, node ids)
    links: list[tuple[str, str]] = []
    for index, edge in enumerate(process.edges):
        start, end = layer_of[edge.from_], layer_of[edge.to]
        chain = [edge.from_]
        for layer in range(start + 1, end):
            dummy = Node(f"_d{index}_{layer}", None, layer=layer)
            nodes[dummy.id] = dummy
            chain.append(dummy.id)
        chain.append(edge.to)
        links += list(zip(chain, chain[1:]))
        chains.append((edge.from_, edge.to, edge.label, chain))

    rows: dict[int, list[str]] = defaultdict(list)
    for node in nodes.values():
        rows[node.layer].append(node.id)
    _order(rows, links, sweeps)
    width, height = _place(rows, nodes)
    edges = [_edge(source, target, label, _route(chain, nodes), nodes[source])
             for source, target, label, chain in chains]
    reading = [nodes[n].step for layer in sorted(rows) for n in rows[layer] if nodes[n].step]
    return Layout([n for n in nodes.values() if n.step], edges, width, height,
                  [s for s in reading if s is not None])


def _order(rows: dict[int, list[str]], links: list[tuple[str, str]], sweeps: int) -> None:
    ups: dict[str, list[str]] = defaultdict(list)
    downs: dict[str, list[str]] = defaultdict(list)
    for a, b in links:
        downs[a].append(b)
        ups[b].append(a)
    layers = sorted(rows)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        sequence = layers[1:] if downward else layers[-2::-1]
        for layer in sequence:
            neighbour_row = rows[layer - 1] if downward else rows[layer + 1]
            index = {n: i for i, n in enumerate(neighbour_row)}
            current = {n: i for i, n in enumerate(rows[layer])}

            def barycentre(node: str) -> float:
                linked = [index[m] for m in (ups if downward else downs)[node] if m in index]
                return sum(linked) / len(linked) if linked else current[node]

            rows[layer].sort(key=barycentre)


def _place(rows: dict[int, list[str]], nodes: dict[str, Node]) -> tuple[float, float]:
    widths = {layer: sum(nodes[n].width for n in row) + H_GAP * (len(row) - 1)
              for layer, row in rows.items()}
    total_width = max(widths.values()) + 2 * MARGIN
    y = MARGIN
    for layer in sorted(rows):
        row = rows[layer]
        row_height = max((nodes[n].height for n in row), default=0)
        x = (total_width - widths[layer]) / 2
        for name in row:
            node = nodes[name]
            node.x = x + node.width / 2
            node.y = y + (row_height - node.height) / 2
            if node.step is None:
                node.y, node.height = y, row_height
            x += node.width + H_GAP
        y += row_height + V_GAP
    return total_width, y - V_GAP + MARGIN


def _edge(source: str, target: str, label: str | None, points: list[tuple[float, float]],
          origin: Node) -> EdgePath:
    if not label or origin.step is None or origin.step.kind != "decision":
        return EdgePath(source, target, label, points)
    (x1, y1), (x2, y2) = points[0], points[1]
    at = (round(x1 + (x2 - x1) * 0.45 + 6, 1), round(y1 + (y2 - y1) * 0.45, 1))
    return EdgePath(source, target, label, points, textwrap.wrap(label, WRAP["edge"]), at)


def _route(chain: list[str], nodes: dict[str, Node]) -> list[tuple[float, float]]:
    first, last = nodes[chain[0]], nodes[chain[-1]]
    points = [(first.cx, first.bottom)]
    for name in chain[1:-1]:
        dummy = nodes[name]
        points += [(dummy.cx, dummy.y), (dummy.cx, dummy.bottom)]
    points.append((last.cx, last.y))
    return [(round(x, 1), round(y, 1)) for x, y in points]
