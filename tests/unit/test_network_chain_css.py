"""The CSS that outlines the selected contact's referral chain on the network page: it names
the chain's nodes and edges, and nothing that is not a plain id gets into the stylesheet."""

from infoview_app.state.network import chain_css


def test_chain_nodes_and_edges_are_outlined() -> None:
    css = chain_css(["student", "c4", "c9"], ["e-c4", "e-c9"])
    nodes_rule, target_rule, edges_rule = css.splitlines()
    for node_id in ("student", "c4", "c9"):
        assert f'.react-flow__node[data-id="{node_id}"]' in nodes_rule
    assert '[data-id="c9"]' in target_rule and '"c4"' not in target_rule
    assert '.react-flow__edge[data-id="e-c4"] .react-flow__edge-path' in edges_rule
    assert '[data-id="e-c9"]' in edges_rule


def test_nothing_but_plain_ids_reaches_the_stylesheet() -> None:
    hostile = ['c1"] { } body { display: none } [x="', "c2</style><script>", "c 3", ""]
    css = chain_css(["student", *hostile, "c7"], ["e-c7", *hostile])
    assert "display: none" not in css and "<" not in css and "c 3" not in css
    assert '[data-id="c7"]' in css and '[data-id="e-c7"]' in css
    assert chain_css([], []) == ""
    assert chain_css(['"'], ["e-c1"]) == ""
