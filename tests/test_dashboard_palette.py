"""One colour per label on every chart (dashboard/palette.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from dashboard import palette  # noqa: E402


def test_fixed_colours():
    assert palette.country("CHN") != palette.country("RUS")
    assert palette.colour("official") == palette.CATEGORY["official"]
    assert palette.colour("trade") == palette.TOPIC["trade"]
    assert palette.colour("person") == palette.ENTITY_TYPE["person"]


def test_shared_labels_have_one_colour():
    # "other" is a speaker category and an entity type; "unknown" a category and a speaker's country
    assert palette.CATEGORY["other"] == palette.ENTITY_TYPE["other"] == palette.colour("other")
    assert palette.colour("unknown") == palette.country("unknown") == palette.CATEGORY["unknown"]
    assert palette.country("third countries") == palette.colour("third countries")


def test_every_fixed_table_agrees_on_its_labels():
    for table in (palette.CATEGORY, palette.ENTITY_TYPE, palette.TOPIC, palette.GROUP):
        for label, colour in table.items():
            assert palette.colour(label) == colour
    with pytest.raises(ValueError):
        palette._merge({"other": "#000000"}, {"other": "#ffffff"})


def test_distinct_colours_within_each_table():
    for table in (palette.CATEGORY, palette.ENTITY_TYPE, palette.TOPIC, palette.COUNTRY):
        assert len(set(table.values())) == len(table)


def test_hashed_colours_are_stable_and_never_a_fixed_one():
    labels = ["culture", "Kosovo", "XKX", "a topic nobody listed", ""]
    first = [palette.colour(x) for x in labels]
    assert first == [palette.colour(x) for x in labels]
    taken = {c.lower() for c in (*palette.FIXED.values(), *palette.COUNTRY.values())}
    assert all(c.lower() not in taken for c in palette.QUALITATIVE)
    assert all(palette.colour(x) in palette.QUALITATIVE for x in labels)
    # the same in another process (no salted hash)
    code = "from dashboard import palette; print(palette.colour('culture'), palette.country('XKX'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert out.stdout.split() == [palette.colour("culture"), palette.country("XKX")]
