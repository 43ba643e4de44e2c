"""A partition's hidden group must not be recoverable as the whole minus the rest."""

from infoview_app.services.dashboard import _grouped_rows


def test_one_small_group_withholds_the_next_smallest_with_it() -> None:
    rows, data = _grouped_rows([("Faculty", 50, 20), ("Family", 3, 2), ("Friend", 10, 6),
                                ("Referral", 0, 0)], "source", "contacts")
    assert [row["contacts"] for row in rows] == ["50", "<5", "withheld", "0"]
    assert [row["share"] for row in rows] == ["79.4%", "withheld", "withheld", "0%"]
    assert [point["contacts"] for point in data] == [50, None, None, 0]


def test_two_small_groups_need_nothing_more_withheld() -> None:
    rows, _ = _grouped_rows([("A", 50, 20), ("B", 3, 2), ("C", 4, 3), ("D", 10, 6)],
                            "group", "explorations")
    assert [row["explorations"] for row in rows] == ["50", "<5", "<5", "10"]


def test_no_small_group_shows_everything() -> None:
    rows, _ = _grouped_rows([("A", 6, 5), ("B", 10, 7)], "group", "explorations")
    assert [(row["explorations"], row["share"]) for row in rows] == [("6", "37.5%"),
                                                                     ("10", "62.5%")]
