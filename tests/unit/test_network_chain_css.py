"""The network page's referral chain: as the graph draws it (through a source's group node),
the CSS that outlines its nodes and edges, and nothing that is not a plain id gets into the
stylesheet."""

from infoview_app.state.network import chain_css, drawn_chain


def test_chain_nodes_and_edges_are_outlined() -> None:
    css = chain_css(["student", "c4", "c9"])
    nodes_rule, target_rule, edges_rule = css.splitlines()
    for node_id in ("student", "c4", "c9"):
        assert f'.react-flow__node[data-id="{node_id}"]' in nodes_rule
    assert '[data-id="c9"]' in target_rule and '"c4"' not in target_rule
    assert '.react-flow__edge[data-id="e-c4"] .react-flow__edge-path' in edges_rule
    assert '[data-id="e-c9"]' in edges_rule and '"e-student"' not in edges_rule


def test_a_grouped_contacts_chain_passes_through_the_group_node() -> None:
    edges = [{"source": "student", "target": "group-linkedin"},
             {"source": "group-linkedin", "target": "c4"}, {"source": "c4", "target": "c9"},
             {"source": "student", "target": "c5"}]
    assert drawn_chain(["student", "c4", "c9"], edges) == [
        "student", "group-linkedin", "c4", "c9"]
    assert drawn_chain(["student", "c5"], edges) == ["student", "c5"]
    assert '[data-id="e-group-linkedin"]' in chain_css(drawn_chain(["student", "c4"], edges))


def test_nothing_but_plain_ids_reaches_the_stylesheet() -> None:
    hostile = ['c1"] { } body { display: none } [x="', "c2</style><script>", "c 3", ""]
    css = chain_css(["student", *hostile, "c7"])
    assert "display: none" not in css and "<" not in css and "c 3" not in css
    assert '[data-id="c7"]' in css and '[data-id="e-c7"]' in css
    assert chain_css([]) == ""
    assert chain_css(['"']) == ""
