"""The list's row source: order, filtering as you type, lookups in filtered views."""

from __future__ import annotations

import datetime as dt
import random

from reader.model import ArticleSummary, list_order_key
from reader.ui.rows import SummaryRows

WORDS = "ferry storm market tram Library festival river night Crowd vote".split()


def summaries(count: int, seed: int = 1) -> list[ArticleSummary]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        date = (
            None if rng.random() < 0.1 else dt.date(2020, 1, 1) + dt.timedelta(rng.randint(0, 900))
        )
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        out.append(ArticleSummary(f"{i:04d}", f"s/{i}.txt", title, date, 0, 0, 0, 10))
    return out


def test_rows_are_in_list_order() -> None:
    items = summaries(300)
    rows = SummaryRows(items)
    assert [rows[i] for i in range(len(rows))] == sorted(items, key=list_order_key)
    assert rows.total == 300


def test_filter_as_you_type_matches_a_full_scan() -> None:
    rows = SummaryRows(summaries(500))
    view = rows
    typed = ""
    for char in "night":
        typed += char
        view = view.filtered(typed)  # narrows the previous view
        expected = [r for r in rows.all() if typed in r.title.casefold()]
        assert [view[i] for i in range(len(view))] == expected
        assert view.total == 500
    shorter = view.filtered("nig")  # backspace: scans again
    assert len(shorter) == len([r for r in rows.all() if "nig" in r.title.casefold()])
    assert len(rows.filtered("LIBRARY")) == len(rows.filtered("library")) > 0
    assert len(rows.filtered("")) == 500


def test_index_of_in_filtered_views() -> None:
    rows = SummaryRows(summaries(400))
    view = rows.filtered("crowd")
    for index in range(len(view)):
        assert view.index_of(view[index].id) == index
    outside = next(r for r in rows.all() if "crowd" not in r.title.casefold())
    assert view.index_of(outside.id) is None
    assert rows.index_of("missing") is None


def test_with_added_keeps_order_for_small_and_large_batches() -> None:
    items = summaries(600, seed=3)
    rows = SummaryRows(items[:500])
    rows = rows.with_added(items[500:520])  # small batch: inserted
    rows = rows.with_added(items[520:])  # larger batch: rebuilt
    assert [rows[i] for i in range(len(rows))] == sorted(items, key=list_order_key)
    filtered = SummaryRows(items[:300]).filtered("storm").with_added(items[300:])
    assert filtered.query == "storm"
    assert len(filtered) == len([r for r in items if "storm" in r.title.casefold()])
