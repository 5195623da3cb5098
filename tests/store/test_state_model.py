"""A property: any sequence of user actions leaves the file agreeing with a plain model,
before and after reopening it."""

from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.saving import SavedQuote
from reader.store.state import StateStore

ARTICLES = ["a", "b", "c"]
action = st.one_of(
    st.tuples(st.just("toggle_read"), st.sampled_from(ARTICLES)),
    st.tuples(st.just("toggle_bookmark"), st.sampled_from(ARTICLES)),
    st.tuples(st.just("mark_all_read"), st.lists(st.sampled_from(ARTICLES), max_size=3)),
    st.tuples(st.just("save"), st.integers(0, 4)),
    st.tuples(st.just("delete"), st.integers(0, 4)),
    st.tuples(st.just("undo"), st.just(0)),
    st.tuples(st.just("note"), st.integers(0, 4)),
)


def unit(n: int) -> SavedQuote:
    return SavedQuote(kind="sentence", text=f"unit {n}", article_id=ARTICLES[n % 3], block=n)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=40))
def test_actions_match_a_model(actions: list[tuple[str, object]]) -> None:
    read: set[str] = set()
    bookmarked: set[str] = set()
    live: dict[int, str] = {}  # unit number -> note
    notes: dict[int, str] = {}  # the last note of every unit ever saved, deleted ones too
    ids: dict[int, int] = {}
    undo: list[tuple[int, SavedQuote]] = []
    with tempfile.TemporaryDirectory() as folder:
        with StateStore.open(folder) as store:
            for name, arg in actions:
                if name == "toggle_read":
                    assert store.toggle_read(str(arg)) == (arg not in read)
                    read ^= {str(arg)}
                elif name == "toggle_bookmark":
                    assert store.toggle_bookmark(str(arg)) == (arg not in bookmarked)
                    bookmarked ^= {str(arg)}
                elif name == "mark_all_read":
                    targets = set(arg)  # type: ignore[call-overload]
                    assert store.mark_all_read(list(targets)) == len(targets - read)
                    read |= targets
                elif name == "save":
                    n = int(arg)  # type: ignore[call-overload]
                    saved, created = store.save_quote(unit(n))
                    assert created == (n not in live)
                    assert ids.setdefault(n, saved.id or 0) == saved.id  # one row per unit
                    # Saving a deleted unit again brings back its note.
                    live.setdefault(n, notes.get(n, ""))
                elif name == "delete":
                    n = int(arg)  # type: ignore[call-overload]
                    removed = store.delete_quote(ids[n]) if n in ids else None
                    assert (removed is not None) == (n in live)
                    if removed is not None:
                        undo.append((n, removed))
                        del live[n]
                elif name == "undo" and undo:
                    n, row = undo.pop()
                    restored = store.restore_quote(row)
                    assert restored.id == ids[n]
                    live[n] = restored.note
                elif name == "note":
                    n = int(arg)  # type: ignore[call-overload]
                    if n in live:
                        store.update_note(ids[n], f"note {len(actions)}")
                        live[n] = notes[n] = f"note {len(actions)}"
            expected = {(ids[n], live[n]) for n in live}
            assert store.read_ids() == read and store.bookmarked_ids() == bookmarked
            assert {(q.id, q.note) for q in store.list_quotes()} == expected
        with StateStore.open(folder) as again:
            assert again.read_ids() == read and again.bookmarked_ids() == bookmarked
            assert {(q.id, q.note) for q in again.list_quotes()} == expected
