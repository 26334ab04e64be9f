"""Splitting a text into its items, and judging each item's relevance with a reason.

A page may hold several articles (separated by a rule line, or each with its own "기사승인" /
"입력" header), a press release has its annex (참고, 붙임) and its contacts table, and a news
page ends with other news (최신뉴스, 많이 본 뉴스...) below the copyright line. Each becomes an
:class:`Item` with its offsets in the text. Relevance to SME AI-adoption policy is judged by the
policy words the item uses (read with the morphological analyser); the reason is shown to staff,
who can override it. Items not relevant propose nothing.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core import korean

ARTICLE, ANNEX, CONTACTS, SIDEBAR = "article", "annex", "contacts", "sidebar"
KIND_LABELS = {
    ARTICLE: "기사·본문",
    ANNEX: "참고 자료",
    CONTACTS: "담당자 표",
    SIDEBAR: "다른 기사",
}

_END_OF_ARTICLE = re.compile(
    r"^\s*(?:\[?\s*(?:저작권자|copyright|ⓒ|©)|.*무단\s?전재|.*재배포\s?금지)", re.IGNORECASE
)
_SIDEBAR_HEADING = re.compile(
    r"^\s*(?:최신\s?뉴스|많이\s?본\s?뉴스|인기\s?기사|관련\s?기사|추천\s?뉴스|포토\s?뉴스|뉴스\s?댓글|"
    r"이\s?시각\s?주요뉴스|주요\s?뉴스|오늘의\s?뉴스|핫\s?이슈|댓글)\s*>?\s*$"
)
_RULE = re.compile(r"^\s*(?:[-=─━_*■◆◇□~]\s?){3,}\s*$")
_ARTICLE_HEADER = re.compile(
    r"(?:기사\s?승인|기사\s?입력|입력|등록|승인)\s?[:：]?\s?(?:19|20)\d{2}[-./]"
)
_ANNEX = re.compile(r"^\s*(?:참고|붙임|첨부|별첨|참고\s?자료|붙임\s?자료)\s*\d*\s*$")
_CONTACT_LINE = re.compile(
    r"(?:담당\s?부서|총괄\s?부서|전담\s?기관|책임자|담당자|보도\s?문의|문의)"
)
_PHONE = re.compile(r"(?<!\d)0\d{1,2}[-)\s.]\d{3,4}[-\s.]\d{4}(?!\d)")

# Policy words: the subject (AI and its relatives) and the audience (SMEs, manufacturing...).
SUBJECT_TERMS = (
    "AI",
    "인공지능",
    "AX",
    "스마트제조",
    "스마트 제조",
    "스마트공장",
    "스마트 공장",
    "디지털 전환",
    "디지털전환",
    "자율제조",
    "생성형",
    "데이터",
    "로봇",
    "자동화",
)
AUDIENCE_TERMS = (
    "중소기업",
    "중소",
    "중기부",
    "중소벤처기업부",
    "벤처",
    "소상공인",
    "제조",
    "스타트업",
    "창업",
    "지역기업",
    "기업",
)
_LATIN_AI = re.compile(r"(?<![A-Za-z])(AI|AX)(?![A-Za-z])")


@dataclass
class Item:
    index: int
    kind: str
    start: int
    end: int
    title: str
    relevant: bool = False
    reason: str = ""
    parent: int | None = None
    overridden: bool = False


def _lines(text: str):
    position = 0
    for line in text.split("\n"):
        yield position, line
        position += len(line) + 1


def _title_of(text: str, start: int, end: int) -> str:
    for _pos, line in _lines(text[start:end]):
        clean = line.strip()
        if (
            clean
            and not _RULE.match(clean)
            and not clean.startswith(("보도시점", "보도 시점", "배포"))
        ):
            return clean[:200]
    return ""


def split_items(text: str) -> list[Item]:
    """The items of ``text`` with their offsets (every character belongs to at most one)."""
    lines = list(_lines(text))
    # 1. the article(s) end where the copyright line or the first sidebar heading stands
    main_end = len(text)
    tail_start = None
    for position, line in lines:
        if _END_OF_ARTICLE.match(line) or _SIDEBAR_HEADING.match(line):
            main_end = position + (len(line) if _END_OF_ARTICLE.match(line) else 0)
            tail_start = position
            break
    # 2. several articles: rule lines, or a second article header (its title is the line above)
    cuts = [0]
    headers = 0
    for index, (position, line) in enumerate(lines):
        if position >= main_end:
            break
        if _RULE.match(line) and position > 0:
            cuts.append(position)
        elif _ARTICLE_HEADER.search(line):
            headers += 1
            if headers > 1:
                above = index - 1
                while above > 0 and not lines[above][1].strip():
                    above -= 1
                if lines[above][0] > cuts[-1]:
                    cuts.append(lines[above][0])
    cuts.append(main_end)
    items: list[Item] = []
    for start, end in itertools.pairwise(cuts):
        segment = text[start:end]
        if not segment.strip() or _RULE.fullmatch(segment.strip()):
            continue
        items.extend(_split_article(text, start, end, len(items)))
    # 3. below the article: the other news of the page, one item per headline
    if tail_start is not None:
        items.extend(_sidebar_items(text, tail_start, len(items)))
    return items


def _split_article(text: str, start: int, end: int, first_index: int) -> list[Item]:
    """An article and, inside it, its contacts table and its annex."""
    article = Item(first_index, ARTICLE, start, end, _title_of(text, start, end))
    parts = [article]
    annex_at = None
    contact_start = contact_end = None
    for position, line in _lines(text[start:end]):
        absolute = start + position
        if annex_at is None and _ANNEX.match(line) and absolute > start:
            annex_at = absolute
        if (_CONTACT_LINE.search(line) and _PHONE.search(line)) or (
            contact_start is not None and _PHONE.search(line) and absolute - contact_end < 200
        ):
            if contact_start is None:
                contact_start = absolute
            contact_end = absolute + len(line)
    if contact_start is not None and (annex_at is None or contact_start < annex_at):
        article.end = contact_start
        parts.append(
            Item(
                first_index + len(parts),
                CONTACTS,
                contact_start,
                contact_end,
                _("담당자 표"),
                parent=first_index,
            )
        )
        if annex_at is not None:
            parts.append(
                Item(
                    first_index + len(parts),
                    ANNEX,
                    annex_at,
                    end,
                    _title_of(text, annex_at, end),
                    parent=first_index,
                )
            )
        elif contact_end < end and text[contact_end:end].strip():
            parts.append(
                Item(
                    first_index + len(parts),
                    ANNEX,
                    contact_end,
                    end,
                    _title_of(text, contact_end, end),
                    parent=first_index,
                )
            )
    elif annex_at is not None:
        article.end = annex_at
        annex = Item(
            first_index + 1,
            ANNEX,
            annex_at,
            end,
            _title_of(text, annex_at, end),
            parent=first_index,
        )
        parts.append(annex)
        if contact_start is not None:
            annex.end = contact_start
            parts.append(
                Item(
                    first_index + 2,
                    CONTACTS,
                    contact_start,
                    contact_end,
                    _("담당자 표"),
                    parent=first_index,
                )
            )
    for part in parts[1:]:
        part.title = part.title or KIND_LABELS[part.kind]
    return parts


def _sidebar_items(text: str, start: int, first_index: int) -> list[Item]:
    items: list[Item] = []
    current = None
    for position, line in _lines(text[start:]):
        absolute = start + position
        clean = line.strip()
        if not clean or _SIDEBAR_HEADING.match(clean) or _END_OF_ARTICLE.match(clean):
            continue
        is_headline = (
            len(clean) <= 90 and not clean.endswith((".", "다", "요")) and not clean.startswith("[")
        )
        if is_headline or current is None:
            current = Item(
                first_index + len(items), SIDEBAR, absolute, absolute + len(line), clean[:200]
            )
            items.append(current)
        else:
            current.end = absolute + len(line)
    return items


def policy_terms(text: str) -> tuple[Counter, Counter]:
    """Counts of the subject and audience words in ``text``; the analyser's content words decide
    word boundaries for the Korean ones ("중소기업을" counts, "중소형" does not)."""
    words = Counter(korean.content_words(text))
    joined = " ".join(korean.content_words(text))
    subject: Counter = Counter()
    audience: Counter = Counter()
    for m in _LATIN_AI.finditer(text):
        subject[m.group(1)] += 1
    for term in SUBJECT_TERMS:
        if term in ("AI", "AX"):
            continue
        count = text.count(term)
        if count:
            subject[term.replace(" ", "")] += count
    for term in AUDIENCE_TERMS:
        count = words.get(term, 0) or joined.count(term)
        if count:
            audience[term] = count
    # "중소" and "기업" also count inside "중소기업": keep the most specific word
    for general, specific in (("중소", "중소기업"), ("기업", "중소기업"), ("기업", "지역기업")):
        if general in audience and specific in audience:
            audience[general] -= audience[specific]
            if audience[general] <= 0:
                del audience[general]
    return subject, audience


def judge(text: str, item: Item, items: list[Item]) -> None:
    """Set ``item.relevant`` and ``item.reason`` (Korean)."""
    if item.kind == SIDEBAR:
        item.relevant = False
        item.reason = _("기사 본문 아래의 다른 기사(사이드바)이므로 제안하지 않습니다.")
        return
    if item.parent is not None:
        parent = items[item.parent]
        item.relevant = parent.relevant
        item.reason = _("본문 기사(%(title)s)에 딸린 %(kind)s: 본문의 판단을 따릅니다.") % {
            "title": parent.title[:40],
            "kind": KIND_LABELS[item.kind],
        }
        return
    subject, audience = policy_terms(text[item.start : item.end])
    s_total, a_total = sum(subject.values()), sum(audience.values())

    def shown(counter):
        return ", ".join(f"{word} {n}회" for word, n in counter.most_common(4))

    if s_total >= 2 and a_total >= 2:
        item.relevant = True
        item.reason = _("중소기업 AI 도입 정책과 관련: 주제어 %(s)s / 대상어 %(a)s") % {
            "s": shown(subject),
            "a": shown(audience),
        }
    else:
        item.relevant = False
        missing = []
        if s_total < 2:
            missing.append(_("AI·디지털 전환 주제어가 %(n)d회뿐") % {"n": s_total})
        if a_total < 2:
            missing.append(_("중소기업·제조 대상어가 %(n)d회뿐") % {"n": a_total})
        item.reason = _("관련 없음: %(why)s") % {"why": ", ".join(missing)}


def split_and_judge(text: str) -> list[Item]:
    items = split_items(text)
    for item in items:
        judge(text, item, items)
    return items
