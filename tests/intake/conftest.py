import datetime as dt
from pathlib import Path

import pytest

from intake.propose import analyse
from intake.readers import read_text

TEXTS = Path(__file__).resolve().parents[2] / "intake" / "eval" / "texts"


def text_of(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


@pytest.fixture
def forum(db):
    """Our labelled press release: embargo line, event, budget, quotes, contacts, timetable."""
    return analyse(read_text(text_of("01_press_release_forum.txt")), published=dt.date(2026, 3, 12))


def proposals(result, kind, article=None):
    articles = result["articles"] if article is None else [result["articles"][article]]
    return [p for a in articles for p in a["proposals"] if p["kind"] == kind]
