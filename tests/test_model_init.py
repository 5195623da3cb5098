"""Paragraph, Tweet, PhotoCaption, Quote and Article define their own `__init__` (see
`reader.model._slot_setters`): it must take the dataclass fields, set them all, and leave the
objects frozen, hashable and picklable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import pickle

import pytest

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet


@pytest.mark.parametrize("cls", [Paragraph, Tweet, PhotoCaption, Quote, Article])
def test_init_takes_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default_factory is not dataclasses.MISSING:  # Article.extra: a new one each
            assert p.default is not inspect.Parameter.empty
        else:
            assert (
                p.default is inspect.Parameter.empty
                if f.default is dataclasses.MISSING
                else (p.default == f.default)
            )


@pytest.mark.parametrize(
    "obj",
    [
        Paragraph("text"),
        Paragraph(text="promo", boilerplate=True),
        Tweet("text", "Name", "handle", dt.date(2020, 1, 2), ("https://t.co/x",)),
        Tweet(text="t", author="a", handle="h", date=None),
        Quote("words", "Ana Ruiz", 3, 4, 9),
        PhotoCaption("A crowd", "AP Photo/Ana Ruiz"),
        PhotoCaption(text="", credit="Reuters"),
        Article("id", "a.txt", "Title", (Paragraph("text"),), date=dt.date(2020, 1, 2)),
    ],
)
def test_frozen_hashable_picklable(obj: object) -> None:
    copy = pickle.loads(pickle.dumps(obj))
    assert copy == obj and hash(copy) == hash(obj)
    assert dataclasses.replace(obj) == obj  # type: ignore[type-var]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, dataclasses.fields(obj)[0].name, "other")  # type: ignore[arg-type]
    assert all(hasattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


def test_article_extra_is_a_new_dict_unless_given() -> None:
    a, b = (Article("id", "a.txt", "Title", ()) for _ in range(2))
    assert a.extra == {} and a.extra is not b.extra
    extra = {"source": "wire"}
    assert Article("id", "a.txt", "Title", (), extra=extra).extra is extra
