"""From a read document to proposals: the Source, and per relevant item the records of the
existing models, each with its evidence sentence (offsets in the text), a confidence and the
existing record it matches.

``analyse(document, published=None)`` is the one entry point (the admin, the API, the CLI, the
Celery job and the evaluation all call it). Its answer is JSON-ready; ``public_answer`` gives
the documented shape ``{"source", "articles": [{"title", "relevant", "reason", "proposals"}]}``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core import korean

from . import entities
from . import items as items_mod
from .readers import Document
from .values import SEOUL, Value, find_values, last_day

_EMBARGO_RE = re.compile(r"보도\s?시점\s?[:：]?\s?(?P<rest>[^\n]{0,80})")
_HEADER_DATE_RE = re.compile(
    r"(?:기사\s?승인|기사\s?입력|입력|등록|승인|발행)\s?[:：]?\s?(?P<y>(?:19|20)\d{2})[-./]\s?(?P<mo>\d{1,2})[-./]\s?(?P<d>\d{1,2})(?:\.?\s+(?P<h>\d{1,2}):(?P<mi>\d{2}))?"
)
_PRESS_LEAD_RE = re.compile(r"^\s?\[(?P<outlet>[^\]\n]{2,20})\]")
_VENUE_RE = re.compile(
    r"(?P<venue>(?:[가-힣A-Za-z0-9()·]+\s){0,2}[가-힣A-Za-z0-9()·]+?)\s?에서(?=\s)"
)
_PLACE_LINE_RE = re.compile(r"\((?:일시|일시·장소|일시 및 장소|장소)\)\s?(?P<rest>[^\n]+)")
_TIMETABLE_ROW = re.compile(
    r"^\s*(?P<h1>[0-2]?\d):(?P<m1>[0-5]\d)\s?[~∼\-–]\s?(?P<h2>[0-2]?\d):(?P<m2>[0-5]\d)\s*\t?\s*(?P<rest>.+)$"
)
_PHONE_RE = re.compile(r"(?<!\d)0\d{1,2}[-)\s.]\d{3,4}[-\s.]\d{4}(?!\d)")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTACT_NAME_RE = re.compile(r"^[가-힣]{2,4}$")
_AWARD_RE = re.compile(
    r"(?P<prize>[가-힣]*(?:장관상|대통령상|국무총리상|청장상|표창))|(?P<rank>대상|최우수상|우수상|장려상)"
)

FUNDING = [
    (re.compile(r"국비\s?등"), "national_and_other"),
    (re.compile(r"국비|정부\s?예산|국고"), "national"),
    (re.compile(r"지방비|도비|시비|군비|지자체\s?예산"), "local"),
    (re.compile(r"민간|자부담|기업\s?부담"), "private"),
]
VEHICLE = [
    (re.compile(r"2차\s?추경|2차\s?추가경정"), "supplementary_2"),
    (re.compile(r"추경|추가경정"), "supplementary_1"),
    (re.compile(r"본예산"), "main"),
    (re.compile(r"기금"), "fund"),
]
ROLE_VERBS = [
    (re.compile(r"주재"), "host"),
    (re.compile(r"축사|격려사|환영사"), "guest"),
    (re.compile(r"발표|발제"), "presenter"),
    (re.compile(r"토론|패널"), "discussant"),
    (re.compile(r"말했|강조|언급|밝혔|덧붙였|설명했|제안했"), "speaker"),
    (re.compile(r"참석"), "attendee"),
]
AGENDA_KINDS = [
    (re.compile(r"개회|개막|인사말|참석자 소개"), "opening"),
    (re.compile(r"휴식|오찬|만찬"), "break"),
    (re.compile(r"시상"), "award"),
    (re.compile(r"토론|논의|건의|의견"), "discussion"),
]
_PER_UNIT_BEFORE = re.compile(
    r"(?:기업|개사|곳|건|명|과제|팀)\s?당\s?(?:최대|최소|평균)?\s?(?:약\s?)?$"
)
_STAT_CUES = re.compile(r"조사|응답|비율|활용률|도입률|비중|중\s|통계|설문")
_OUTCOME_CUES = re.compile(r"향상|감소|절감|증가|단축|개선|늘었|줄었")


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def _sentences(text: str, start: int, end: int) -> list[Sentence]:
    """The sentences of text[start:end] (the analyser splits long paragraphs; a table row or a
    short line is one sentence)."""
    found = []
    position = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            offset = position + line.index(stripped[0])
            if len(stripped) > 80 and "\t" not in stripped:
                for s_start, s_end, s_text in korean.sentences(stripped):
                    found.append(Sentence(offset + s_start, offset + s_end, s_text))
            else:
                found.append(Sentence(offset, offset + len(stripped), stripped))
        position += len(line) + 1
    return found


def _evidence(sentence: Sentence) -> dict:
    return {"text": sentence.text, "start": sentence.start, "end": sentence.end}


def _shift(values: list[Value], offset: int) -> list[Value]:
    for value in values:
        value.start += offset
        value.end += offset
    return values


def _first(pairs, text, default):
    for pattern, value in pairs:
        if pattern.search(text):
            return value
    return default


# --- the source ---------------------------------------------------------------------------


def source_of(
    document: Document, text: str, published_override: dt.date | None, matcher
) -> tuple[dict, dt.date | None]:
    head = text[:1500]
    published_at = None
    precision = "unknown"
    if published_override:
        published_at = dt.datetime.combine(published_override, dt.time(), SEOUL)
        precision = "day"
    elif isinstance(document.published, dt.datetime):
        published_at, precision = document.published, "minute"
    elif isinstance(document.published, dt.date):
        published_at, precision = dt.datetime.combine(document.published, dt.time(), SEOUL), "day"
    else:
        m = _HEADER_DATE_RE.search(head)
        if m:
            day = dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))
            if m["h"]:
                published_at = dt.datetime(
                    day.year, day.month, day.day, int(m["h"]), int(m["mi"]), tzinfo=SEOUL
                )
                precision = "minute"
            else:
                published_at, precision = dt.datetime.combine(day, dt.time(), SEOUL), "day"
    is_press_release = bool(_EMBARGO_RE.search(head)) or "보도자료" in head[:300]
    author = document.author or entities.find_byline(head)
    publisher = document.publisher
    lead = _PRESS_LEAD_RE.search(text[text.find("\n", 0) + 1 :][:2000]) if not publisher else None
    for line in text[:3000].split("\n"):
        m = _PRESS_LEAD_RE.search(line)
        if m and not publisher:
            publisher = m["outlet"]
            break
    if not publisher and is_press_release:
        for mention in matcher.known_organizations(head) + entities.find_organizations(head):
            match = matcher.organization(mention.text)
            if match["status"] == "existing" and match["id"] in matcher.publishers:
                publisher = match["label"]
                break
            if match["status"] == "new" and not publisher:
                publisher = mention.text
    del lead
    title = document.title
    if not title:
        for line in text.split("\n"):
            clean = line.strip()
            if (
                clean
                and not clean.startswith(("보도시점", "보도 시점", "배포"))
                and not _EMBARGO_RE.match(clean)
            ):
                title = clean[:300]
                break
    kind = (
        "press_release"
        if is_press_release
        else ("news" if author.endswith("기자") or document.kind == "html" else "other")
    )
    fields = {
        "kind": kind,
        "publisher": publisher,
        "author": author,
        "title": title,
        "url": document.url,
        "published_at": published_at.isoformat() if published_at else None,
        "published_precision": precision,
    }
    from core.models import Source

    existing = None
    if document.url:
        existing = Source.objects.filter(url=document.url).values_list("id", "title").first()
    if existing is None and title:
        existing = Source.objects.filter(title=title).values_list("id", "title").first()
    match = (
        {
            "status": "existing",
            "model": "core.source",
            "id": existing[0],
            "label": existing[1],
            "how": "exact",
            "score": 100,
        }
        if existing
        else {"status": "new"}
    )
    return {**fields, "match": match}, (
        published_at.astimezone(SEOUL).date() if published_at else None
    )


# --- per item -----------------------------------------------------------------------------


class ItemProposer:
    def __init__(self, text, item, published, matcher, context):
        self.text = text
        self.item = item
        self.published = published
        self.matcher = matcher
        self.context = context  # shared between an article and its annex/contacts
        self.proposals: list[dict] = []
        self.values: list[Value] = []

    def add(self, kind, fields, sentence, confidence, match=None):
        proposal = {
            "kind": kind,
            "fields": fields,
            "evidence": _evidence(sentence),
            "confidence": round(confidence, 2),
            "match": match or {"status": "new"},
        }
        self.proposals.append(proposal)
        return proposal

    def org_match(self, name):
        return self.matcher.organization(name) if name else {"status": "new"}

    def run(self):
        sentences = _sentences(self.text, self.item.start, self.item.end)
        if self.item.kind == items_mod.CONTACTS:
            self.contacts(sentences)
            return
        program = self.context.get("program")
        day = None
        for sentence in sentences:
            values = _shift(find_values(sentence.text, self.published, day), sentence.start)
            day = last_day(values) or day
            self.values += values
            self.programs(sentence)
            self.events(sentence, values)
            self.people(sentence)
            self.organizations(sentence)
            self.figures(sentence, values, self.context.get("program") or program)
            self.awards(sentence, values)
            self.hubs(sentence, values)
        self.timetable(sentences)
        self.embargo(sentences)
        # a figure stated before the program is named (a subtitle) belongs to the item's program
        program = self.context.get("program")
        for proposal in self.proposals:
            if (
                program
                and proposal["kind"] in ("budget_line", "target")
                and not proposal["fields"]["program"]
            ):
                proposal["fields"]["program"] = program
                if proposal["kind"] == "budget_line":
                    proposal["match"] = _budget_match(
                        self.matcher.program(program), proposal["fields"]
                    )

    # programs -----------------------------------------------------------------------------
    def programs(self, sentence):
        for mention in entities.find_programs(sentence.text):
            name = mention.fields["name"]
            if any(
                p["kind"] == "program" and p["fields"]["name"] == name for p in self.context["all"]
            ):
                continue
            match = self.matcher.program(name)
            proposal = self.add(
                "program", {"name": name}, sentence, 0.7 if match["status"] == "new" else 0.9, match
            )
            self.context["all"].append(proposal)
            self.context.setdefault("program", name)
        for _quoted_start, _quoted_end, name in entities.quoted_names(sentence.text):
            match = self.matcher.program(name)
            if match["status"] == "existing" and not any(
                p["kind"] == "program" and p["match"].get("id") == match["id"]
                for p in self.context["all"]
            ):
                proposal = self.add("program", {"name": match["label"]}, sentence, 0.85, match)
                self.context["all"].append(proposal)
                self.context.setdefault("program", match["label"])

    # events -------------------------------------------------------------------------------
    def events(self, sentence, values):
        event = self.context.get("event")
        mentions = entities.find_events(sentence.text)
        side = "부대행사" in sentence.text or "부대 행사" in sentence.text
        if side and event is not None:
            when = next((v for v in values if v.kind in ("date", "datetime", "range")), None)
            for mention in mentions:
                if mention.fields["name"] != event["fields"]["name"]:
                    fields = {**mention.fields, "parent": event["fields"]["name"]}
                    fields["starts_at"] = event["fields"].get("starts_at")
                    if when is not None and when.value:
                        self._set_when(fields, when)
                    venue = _VENUE_RE.search(sentence.text)
                    if venue:
                        fields["venue_name"] = venue["venue"].strip()
                    self.add("event", fields, sentence, 0.6, self.matcher.event(fields["name"]))
            return
        if mentions and self.item.kind == items_mod.ARTICLE:
            mention = mentions[0]
            if event is None:
                fields = {
                    "name": mention.fields["name"],
                    "kind": mention.fields["kind"],
                    "starts_at": None,
                    "ends_at": None,
                }
                match = self.matcher.event(fields["name"])
                event = self.add("event", fields, sentence, 0.6, match)
                self.context["event"] = event
                self.context["all"].append(event)
            fields = event["fields"]
            when = next(
                (
                    v
                    for v in values
                    if v.kind in ("date", "datetime", "range") and v.precision in ("day", "minute")
                ),
                None,
            )
            if when is not None and not fields.get("starts_at"):
                self._set_when(fields, when)
                event["evidence"] = _evidence(sentence)
                event["confidence"] = 0.8
            venue = _VENUE_RE.search(sentence.text)
            if venue and not fields.get("venue_name"):
                start = venue.start("venue")
                if when is not None and when.end - sentence.start <= venue.end("venue"):
                    start = max(start, when.end - sentence.start)
                name = re.sub(
                    r"^\s*(?:\([월화수목금토일]\)\s*)?",
                    "",
                    sentence.text[start : venue.end("venue")],
                ).strip(" ,")
                if name and len(name) <= 60:
                    fields["venue_name"] = name
                    region = next(
                        (
                            v
                            for v in values
                            if v.kind == "region"
                            and start <= v.start - sentence.start < venue.end("venue")
                        ),
                        None,
                    )
                    if region:
                        fields["region"] = region.value
            attendees = next((v for v in values if v.kind == "count" and v.unit == "명"), None)
            if attendees and "참석" in sentence.text and not fields.get("attendee_count_approx"):
                fields["attendee_count_approx"] = attendees.value
            return
        if event is None:
            return
        # the annex's "(일시·장소) 7. 1 (수), 14:00~16:00, 오송역 회의실"
        place = _PLACE_LINE_RE.search(sentence.text)
        if place:
            when = next((v for v in values if v.kind in ("range", "datetime")), None)
            if (
                when is not None
                and event["fields"].get("starts_at", "")
                and "T" not in (event["fields"]["starts_at"] or "T")
            ):
                self._set_when(event["fields"], when)
            elif when is not None and not event["fields"].get("ends_at"):
                self._set_when(event["fields"], when)
            venue = place["rest"].split(",")[-1].strip()
            if venue and ":" not in venue and not re.match(r"\d", venue):
                if event["fields"].get("venue_name") and event["fields"]["venue_name"] != venue:
                    event["fields"]["alternative_venue_name"] = venue
                    event["fields"]["alternative_venue_note"] = "참고 자료의 표기"
                elif not event["fields"].get("venue_name"):
                    event["fields"]["venue_name"] = venue
        if "참석" in sentence.text and not event["fields"].get("attendee_count_approx"):
            attendees = next((v for v in values if v.kind == "count" and v.unit == "명"), None)
            if attendees:
                event["fields"]["attendee_count_approx"] = attendees.value

    @staticmethod
    def _set_when(fields, value: Value):
        if value.kind == "range" and isinstance(value.value, dict):
            fields["starts_at"], fields["ends_at"] = value.value["start"], value.value["end"]
            fields["time_is_known"] = "T" in value.value["start"]
        elif value.kind == "datetime":
            fields["starts_at"], fields["time_is_known"] = value.value, True
        elif value.value:
            fields["starts_at"], fields["time_is_known"] = value.value, False

    def embargo(self, sentences):
        event = self.context.get("event")
        for sentence in sentences[:3] if self.item.kind == items_mod.ARTICLE else []:
            m = _EMBARGO_RE.search(sentence.text)
            if not m:
                continue
            values = find_values(sentence.text, self.published)
            online = next((v for v in values if v.kind == "datetime"), None)
            day = next((v for v in values if v.kind == "date" and v.precision == "day"), None)
            until = online.value if online else (f"{day.value}T06:00:00+09:00" if day else None)
            if until is None:
                continue
            note = " ".join(m["rest"].replace("<", "(").replace(">", ")").split())
            if event is not None:
                event["fields"]["embargo_until"] = until
                event["fields"]["embargo_note"] = note[:200]
            else:
                self.context["embargo"] = (until, note[:200])

    # agenda -------------------------------------------------------------------------------
    def timetable(self, sentences):
        event = self.context.get("event")
        day = None
        if event and event["fields"].get("starts_at"):
            day = dt.date.fromisoformat(event["fields"]["starts_at"][:10])
        press_open = True
        order = 0
        for sentence in sentences:
            if "비공개" in sentence.text and "언론" in sentence.text:
                press_open = False
            row = _TIMETABLE_ROW.match(sentence.text)
            if not row or day is None:
                continue
            cells = [c.strip() for c in row["rest"].split("\t") if c.strip()]
            if not cells:
                continue
            order += 1
            title = re.sub(r"^[①-⑳\d]+[.)]?\s*", "", cells[0])
            start = dt.datetime(
                day.year, day.month, day.day, int(row["h1"]), int(row["m1"]), tzinfo=SEOUL
            )
            end = dt.datetime(
                day.year, day.month, day.day, int(row["h2"]), int(row["m2"]), tzinfo=SEOUL
            )
            fields = {
                "event": event["fields"]["name"],
                "order": order,
                "starts_at": start.isoformat(),
                "ends_at": end.isoformat(),
                "title": title,
                "kind": _first(AGENDA_KINDS, title, "talk"),
                "presenter_note": cells[1] if len(cells) > 1 else "",
                "open_to_press": press_open and "비공개" not in sentence.text,
            }
            presenter = fields["presenter_note"]
            if presenter:
                match = self.org_match(presenter)
                if match["status"] == "existing":
                    fields["presenter_organization"] = match["label"]
            self.add("agenda_item", fields, sentence, 0.85)

    # people -------------------------------------------------------------------------------
    def people(self, sentence):
        event = self.context.get("event")
        for mention in entities.find_people(sentence.text):
            fields = dict(mention.fields)
            if fields["position"] == "기자":
                continue
            org_match = (
                self.org_match(fields["organization"])
                if fields["organization"]
                else {"status": "new"}
            )
            if org_match["status"] == "existing":
                fields["organization"] = org_match["label"]
            elif not fields["organization"] and self.context.get("publisher"):
                fields["organization"] = self.context["publisher"]
            key = (fields["name"], fields["position"])
            if key in self.context["people"]:
                continue
            self.context["people"].add(key)
            match = self.matcher.person(fields["name"], org_match.get("id"))
            self.add("person", fields, sentence, 0.75 if fields["organization"] else 0.55, match)
            if (
                fields["position"].endswith("대표")
                and org_match["status"] == "new"
                and fields["organization"]
            ):
                if not entities._ORG_RE.fullmatch(fields["organization"]):
                    company = {"name": fields["organization"], "ceo_name": fields["name"]}
                    self.add(
                        "company", company, sentence, 0.5, self.org_match(fields["organization"])
                    )
            if event is not None:
                role = _first(ROLE_VERBS, sentence.text, "attendee")
                self.add(
                    "event_participant",
                    {
                        "event": event["fields"]["name"],
                        "person": fields["name"],
                        "organization": fields["organization"],
                        "role": role,
                        "title_at_event": fields["position"],
                        "is_public": True,
                    },
                    sentence,
                    0.7,
                )

    def organizations(self, sentence):
        for mention in entities.find_organizations(sentence.text):
            name = mention.fields["name"]
            if name in self.context["organizations"]:
                continue
            self.context["organizations"].add(name)
            match = self.org_match(name)
            if match["status"] == "new":
                self.add("organization", {"name": name}, sentence, 0.5, match)

    def contacts(self, sentences):
        department = ""
        for sentence in sentences:
            cells = [c.strip() for c in sentence.text.split("\t")]
            phone = _PHONE_RE.search(sentence.text)
            email = _EMAIL_RE.search(sentence.text)
            for cell in cells:
                if (
                    cell
                    and not _PHONE_RE.search(cell)
                    and len(cell) > 5
                    and re.search(r"[가-힣]{2,}(?:부|원|단|실|과|팀|센터|국|청)(?:\s|$)", cell)
                ):
                    department = cell
            phone_index = next(
                (i for i, c in enumerate(cells) if _PHONE_RE.search(c) or _EMAIL_RE.search(c)), None
            )
            name_index = None
            if phone_index:
                name_index = next(
                    (i for i in range(phone_index - 1, -1, -1) if _CONTACT_NAME_RE.match(cells[i])),
                    None,
                )
                if name_index is not None and cells[name_index].endswith(entities.POSITION_ENDINGS):
                    name_index = None
            if name_index is None or not (phone or email):
                continue
            position = cells[name_index - 1].replace(" ", "") if name_index > 0 else ""
            if position in ("책임자", "담당자"):
                position = ""
            fields = {
                "name": cells[name_index],
                "position": position,
                "organization": department,
                "phone": phone[0].strip("()") if phone else "",
                "email": email[0] if email else "",
                "staff_only": ["phone", "email"],
            }
            org_match = (
                self.org_match(department.split(" ")[0]) if department else {"status": "new"}
            )
            self.add(
                "person",
                fields,
                sentence,
                0.8,
                self.matcher.person(fields["name"], org_match.get("id")),
            )
            event = self.context.get("event")
            if event is not None:
                self.add(
                    "event_participant",
                    {
                        "event": event["fields"]["name"],
                        "person": fields["name"],
                        "organization": department,
                        "role": "press_contact",
                        "title_at_event": position,
                        "is_public": False,
                    },
                    sentence,
                    0.8,
                )

    # figures ------------------------------------------------------------------------------
    def figures(self, sentence, values, program):
        text = sentence.text
        regions = [v for v in values if v.kind == "region"]
        years = [v for v in values if v.kind in ("date", "range") and v.precision == "year"]
        is_target = "목표" in text
        for value in values:
            if value.kind == "amount":
                if re.search(r"매출|수출|투자\s?유치", text) and not re.search(
                    r"예산|국비|지원", text
                ):
                    self.add(
                        "outcome",
                        {
                            "metric": "매출" if "매출" in text else "투자 유치",
                            "unit": "원",
                            "result_value": value.value,
                        },
                        sentence,
                        0.5,
                    )
                    continue
                if _PER_UNIT_BEFORE.search(
                    text[max(0, value.start - sentence.start - 12) : value.start - sentence.start]
                ):
                    continue  # "기업당 최대 2억 원": a cap per company, not a budget
                fields = {
                    "program": program or "",
                    "amount_krw": value.value,
                    "funding_source": _first(
                        FUNDING,
                        text[
                            max(0, value.start - sentence.start - 8) : value.start - sentence.start
                        ],
                        _first(FUNDING, text, "unspecified"),
                    ),
                    "vehicle": _first(VEHICLE, text, "unspecified"),
                    "status": "announced",
                    "quoted_text": value.text[:200],
                }
                if value.note:
                    fields["note"] = value.note
                for year in years:
                    if year.kind == "range":
                        fields["period_start_year"] = int(year.value["start"][:4])
                        fields["period_end_year"] = int(year.value["end"][:4])
                    else:
                        fields["fiscal_year"] = int(year.value[:4])
                if (
                    "fiscal_year" not in fields
                    and "period_start_year" not in fields
                    and self.published
                ):
                    fields["fiscal_year"] = self.published.year
                if regions:
                    fields["region"] = regions[0].value
                match = self.matcher.program(program) if program else {"status": "new"}
                self.add(
                    "budget_line",
                    fields,
                    sentence,
                    0.8 if program else 0.6,
                    _budget_match(match, fields),
                )
            elif value.kind in ("percent", "percent_point", "count") and is_target:
                fields = {
                    "program": program or "",
                    "metric": _metric_before(text, value.start - sentence.start),
                    "unit": value.unit,
                    "target_value": value.value,
                    "comparator": "gte",
                }
                end = next((v for v in values if v.kind == "date" and v.value), None)
                if end is not None:
                    fields["period_end"] = _period_end(end)
                self.add("target", fields, sentence, 0.6)
            elif (
                value.kind in ("percent", "percent_point")
                and _OUTCOME_CUES.search(text)
                and not _STAT_CUES.search(text)
            ):
                self.add(
                    "outcome",
                    {
                        "metric": _metric_before(text, value.start - sentence.start),
                        "unit": value.unit,
                        "change_pct": value.value,
                    },
                    sentence,
                    0.5,
                )
            elif value.kind in ("percent", "count") and _STAT_CUES.search(text):
                fields = {
                    "series": _metric_before(text, value.start - sentence.start),
                    "unit": value.unit,
                    "dimension": "region" if regions else "total",
                    "segment": regions[0].text if regions else "전체",
                    "value": value.value,
                    "printed_value": value.text,
                }
                if years:
                    fields["period"] = (
                        years[0].value if isinstance(years[0].value, str) else years[0].value["end"]
                    )
                self.add("observation", fields, sentence, 0.5)
        if regions and program and re.search(r"선정|참여|추진", text):
            for region in {r.value: r for r in regions}.values():
                fields = {
                    "program": program,
                    "region": region.value,
                    "status": "selected" if "선정" in text else "planned",
                }
                day = next((v for v in values if v.kind == "date" and v.precision == "day"), None)
                if day:
                    fields["selected_on"] = day.value
                self.add("regional_participation", fields, sentence, 0.6)

    def awards(self, sentence, values):
        text = sentence.text
        if not re.search(r"수상|시상|표창|장관상|대통령상", text):
            return
        m = _AWARD_RE.search(text)
        fields = {
            "name": (m[0] if m else "시상"),
            "year": self.published.year if self.published else None,
        }
        rank = re.search(r"대상|최우수상|우수상|장려상", text)
        prize = re.search(r"[가-힣]*(?:장관상|대통령상|국무총리상|청장상|표창)", text)
        if rank:
            fields["rank"] = rank[0]
        if prize:
            fields["prize"] = prize[0]
        count = next(
            (v for v in values if v.kind == "count" and v.unit in ("개사", "명", "곳", "팀")), None
        )
        if count:
            fields["selected_count"] = count.value
        event = self.context.get("event")
        if event is not None and event["fields"].get("kind") == "award_ceremony":
            fields["name"] = event["fields"]["name"]
            fields["event"] = event["fields"]["name"]
        award = self.context.get("award")
        if award is not None:  # one award per item: later sentences add what is missing
            for name, value in fields.items():
                if award["fields"].get(name) in (None, "", "시상"):
                    award["fields"][name] = value
            return
        self.context["award"] = self.add("award", fields, sentence, 0.5)

    def hubs(self, sentence, values):
        text = sentence.text
        if not re.search(r"거점|허브|센터", text) or not re.search(
            r"구축|개소|조성|지정|설치|문을 열|열었|개관", text
        ):
            return
        name = re.search(
            r"[「‘'\"“]?(?P<name>[가-힣A-Za-z0-9·\s]{2,40}?(?:허브|센터|거점))[」’'\"”]?", text
        )
        region = next((v for v in values if v.kind == "region"), None)
        if not name or region is None:
            return
        self.add(
            "hub", {"name": " ".join(name["name"].split()), "region": region.value}, sentence, 0.55
        )


def _budget_match(program_match: dict, fields: dict) -> dict:
    """The existing budget line a proposed figure would update (same program, year, amount) or
    duplicate: a line of the same program and year that states another amount is kept, and the
    new figure is added beside it with its own source."""
    if program_match.get("status") != "existing":
        return {"status": "new"}
    from programs.models import BudgetLine

    lines = BudgetLine.objects.filter(program_id=program_match["id"])
    if fields.get("fiscal_year"):
        lines = lines.filter(fiscal_year=fields["fiscal_year"])
    same = lines.filter(amount_krw=fields["amount_krw"]).values_list("id", "source__title").first()
    if same:
        return {
            "status": "duplicate",
            "model": "programs.budgetline",
            "id": same[0],
            "label": same[1],
            "how": "exact",
            "score": 100,
        }
    other = lines.values_list("id", "amount_krw", "source__title").first()
    if other:
        from core.formatting import format_krw

        return {
            "status": "differs",
            "model": "programs.budgetline",
            "id": other[0],
            "label": f"{format_krw(other[1])} ({other[2]})",
            "how": "program_year",
            "score": 100,
        }
    return {"status": "new"}


def _metric_before(text: str, position: int) -> str:
    before = re.sub(r"[\d,.%p]+$", "", text[:position]).strip()
    words = [w for w in re.split(r"\s+", before) if w][-3:]
    metric = " ".join(words).strip("(),은는이가을를의")
    return metric[:100] or "값"


def _period_end(value: Value) -> str:
    iso = value.value
    if value.precision == "year":
        return f"{iso}-12-31"
    if value.precision == "month":
        year, month = int(iso[:4]), int(iso[5:7])
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    return iso[:10]


def analyse(
    document: Document, published: dt.date | None = None, progress=None, overrides=None
) -> dict:
    """The full answer for one document (see the module docstring). ``overrides`` maps item
    indexes to the relevance staff decided (the reason then says so)."""
    from .entities import Matcher

    text = document.text
    matcher = Matcher()
    source, published_on = source_of(document, text, published, matcher)
    item_list = items_mod.split_and_judge(text)
    for index, relevant in (overrides or {}).items():
        if 0 <= index < len(item_list):
            item = item_list[index]
            item.relevant, item.overridden = relevant, True
            item.reason = (
                "직원이 관련 있음으로 정함" if relevant else "직원이 관련 없음으로 정함"
            ) + f" (자동 판단: {item.reason})"
            for child in item_list:
                if child.parent == index:
                    child.relevant = relevant
    articles = []
    contexts: dict[int, dict] = {}
    for number, item in enumerate(item_list):
        root = item.parent if item.parent is not None else item.index
        context = contexts.setdefault(
            root,
            {"all": [], "people": set(), "organizations": set(), "publisher": source["publisher"]},
        )
        proposer = ItemProposer(text, item, published_on, matcher, context)
        if item.relevant:
            proposer.run()
        articles.append(
            {
                "title": item.title,
                "relevant": item.relevant,
                "reason": item.reason,
                "proposals": proposer.proposals,
                "item": {
                    "index": item.index,
                    "kind": item.kind,
                    "start": item.start,
                    "end": item.end,
                    "parent": item.parent,
                },
                "values": [dict(v.as_json(), start=v.start, end=v.end) for v in proposer.values],
            }
        )
        if progress is not None:
            progress(number + 1, len(item_list))
    for number, article in enumerate(articles):
        for index, proposal in enumerate(article["proposals"]):
            proposal["id"] = f"{number}.{index}"
    return {
        "source": source,
        "articles": articles,
        "text": text,
        "published": published_on.isoformat() if published_on else None,
    }


PUBLIC_ARTICLE_KEYS = ("title", "relevant", "reason", "proposals")
PUBLIC_PROPOSAL_KEYS = ("kind", "fields", "evidence", "confidence", "match")


def public_answer(result: dict) -> dict:
    """The documented JSON shape of the CLI and the API."""
    return {
        "source": result["source"],
        "articles": [
            {
                **{key: article[key] for key in PUBLIC_ARTICLE_KEYS if key != "proposals"},
                "proposals": [
                    {key: p[key] for key in PUBLIC_PROPOSAL_KEYS} for p in article["proposals"]
                ],
            }
            for article in result["articles"]
        ],
    }
