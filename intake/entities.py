"""Names in a text — organizations, people with their positions, programs, events — and the
existing records they match (exact name, alias/short name, fuzzy) or "new"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 88

# Positions as press releases print them after a name (longest first in the pattern).
POSITIONS = (
    "장관 직무대행",
    "장관",
    "차관",
    "1차관",
    "2차관",
    "실장",
    "국장",
    "과장",
    "팀장",
    "단장",
    "센터장",
    "본부장",
    "원장",
    "부원장",
    "이사장",
    "사장",
    "회장",
    "부회장",
    "대표이사",
    "대표",
    "교수",
    "연구위원",
    "수석 연구위원",
    "선임연구위원",
    "연구원",
    "정책관",
    "기술혁신정책관",
    "사무관",
    "주무관",
    "서기관",
    "주임",
    "책임",
    "청장",
    "시장",
    "도지사",
    "지사",
    "위원장",
    "의원",
    "소장",
    "총장",
    "처장",
    "상무",
    "전무",
    "이사",
    "연구실장",
    "추진단장",
    "기자",
)
_POS = "|".join(sorted({re.escape(p) for p in POSITIONS}, key=len, reverse=True))
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감호"
_NAME = rf"(?:남궁|제갈|선우|황보|독고)[가-힣]{{2}}|[{_SURNAMES}][가-힣]{{2}}"
_ORG_WORD = r"[가-힣A-Za-z0-9·&]+"
# "장태우 경기대학교 교수", "권순재 중기부 제조혁신과장"
_PERSON_ORG_POS = re.compile(
    rf"(?<![가-힣])(?P<name>{_NAME})\s(?P<org>{_ORG_WORD})\s(?P<pos>(?:[가-힣·A-Za-z]{{0,12}}?)(?:{_POS}))(?=[은는이가을를의과와께,.\s”\"]|$)"
)
# "중소벤처기업연구원의 김주미 수석 연구위원은"
_ORG_NAME_POS = re.compile(
    rf"(?P<org>{_ORG_WORD})의\s(?P<name>{_NAME})\s(?P<pos>(?:[가-힣·A-Za-z ]{{0,20}}?)(?:{_POS}))(?=[은는이가을를의과와께,.\s]|$)"
)
# "장관 직무대행 1차관 노용석" (a position, then the name)
_POS_NAME = re.compile(
    rf"(?P<pos>(?:{_POS})(?:\s(?:{_POS}))?)\s(?P<name>{_NAME})(?=[,)\s은는이가]|$)"
)
# "한국전자통신연구원 강성주 실장"
_ORG_SPACE_NAME_POS = re.compile(
    rf"(?<![가-힣])(?P<org>[가-힣A-Za-z0-9·]{{2,30}}(?:{'|'.join(('연구원', '진흥원', '공단', '협회', '대학교', '재단', '기금', '센터', '부', '청'))}))\s(?P<name>{_NAME})\s(?P<pos>(?:{_POS}))(?=[은는이가을를의과와께,.\s]|$)"
)
POSITION_ENDINGS = ("관", "장", "임", "원", "수", "표", "사")
_BYLINE = re.compile(rf"(?P<name>{_NAME})\s?기자")
_NOT_NAMES = {
    "이번",
    "이날",
    "이어",
    "최근",
    "전문",
    "정부",
    "지난",
    "오는",
    "한편",
    "이후",
    "이상",
    "이하",
    "기업",
    "지역",
}

_ORG_SUFFIX = (
    "중소벤처기업부|벤처기업부|기업부|부|청|처|공단|진흥원|진흥공단|재단|협회|연합회|중앙회|대학교|대학|연구원|위원회|기금|"
    "추진단|센터|공사|은행|테크노파크|연구소|협의회|진흥회|조합"
)
_ORG_RE = re.compile(
    rf"(?<![가-힣A-Za-z])(?P<org>[가-힣A-Za-z0-9·]{{2,30}}?(?:{_ORG_SUFFIX}))(?=[\s,·)(」’'\"의은는이가와과을를에도및등]|$)"
)
_NOT_ORGS = {
    "정부",
    "내부",
    "외부",
    "일부",
    "전부",
    "본부",
    "지방정부",
    "중앙정부",
    "학부",
    "기업부",
    "센터",
    "대학",
}
_PROGRAM_RE = re.compile(
    r"[「『‘'\"“](?P<name>[^」』’'\"”\n]{3,80}?(?:사업|프로그램|프로젝트|바우처|지원|펀드))[」』’'\"”]"
)
_QUOTED_RE = re.compile(r"[「『‘“](?P<name>[^」』’”\n]{2,80})[」』’”]")
EVENT_WORDS = {
    "선포식": "ceremony",
    "기념식": "ceremony",
    "출범식": "ceremony",
    "컨퍼런스": "conference",
    "콘퍼런스": "conference",
    "포럼": "conference",
    "라운드테이블": "roundtable",
    "협의체": "council_meeting",
    "정책협의회": "council_meeting",
    "토론회": "debate",
    "IR": "ir",
    "전시회": "exhibition",
    "박람회": "exhibition",
    "시상식": "award_ceremony",
    "간담회": "meeting",
    "설명회": "meeting",
    "회의": "meeting",
    "교육": "training",
    "워크숍": "training",
    "세미나": "conference",
}
_EVENT_WORD = "|".join(sorted(EVENT_WORDS, key=len, reverse=True))
_EVENT_RE = re.compile(
    rf"(?P<name>(?:[「『‘'“][^」』’'”\n]{{2,60}}[」』’'”]\s?)?(?:[가-힣A-Za-z0-9·+]+\s){{0,3}}?[가-힣A-Za-z0-9·+]*(?:{_EVENT_WORD}))"
    rf"(?:\s?간담회|\s?회의)?[」』’'”]?(?:을|를|이|가|에서|에는|는|은)?\s?(?:[가-힣A-Za-z0-9]+\s){{0,4}}(?:개최|열었|열렸|열고|열어|연다|열린|열려|열리|진행|마련|가졌)"
)
_PARTICLE_END = re.compile(r"(?:와|과|에서|을|를|은|는|이|가|의|께|함께|위해|로|으로|및|등)$")


@dataclass
class Mention:
    kind: str  # organization, person, program, event
    start: int
    end: int
    text: str
    fields: dict


def find_people(text: str) -> list[Mention]:
    found: list[Mention] = []
    seen: set[tuple[int, int]] = set()

    def add(m, name, org, pos):
        if name in _NOT_NAMES or (m.start(), m.end()) in seen:
            return
        if any(m.start() < other.end and other.start < m.end() for other in found):
            return
        seen.add((m.start(), m.end()))
        found.append(
            Mention(
                "person",
                m.start(),
                m.end(),
                m[0],
                {"name": name, "position": " ".join(pos.split()), "organization": org},
            )
        )

    for m in _ORG_SPACE_NAME_POS.finditer(text):
        add(m, m["name"], m["org"], m["pos"])
    for m in _ORG_NAME_POS.finditer(text):
        add(m, m["name"], m["org"], m["pos"])
    for m in _PERSON_ORG_POS.finditer(text):
        add(m, m["name"], m["org"], m["pos"])
    for m in _POS_NAME.finditer(text):
        add(m, m["name"], "", m["pos"])
    return sorted(found, key=lambda mention: mention.start)


def find_byline(text: str) -> str:
    m = _BYLINE.search(text[:600])
    return f"{m['name']} 기자" if m else ""


def find_organizations(text: str) -> list[Mention]:
    found = []
    for m in _ORG_RE.finditer(text):
        name = m["org"]
        if (
            name in _NOT_ORGS
            or len(name) < 3
            or name.endswith(("정부", "벤처", "바우처"))
            or "컨벤션" in name
        ):
            continue
        if name.endswith("부") and not name.endswith(
            ("기업부", "자원부", "통신부", "교육부", "안전부", "재정부", "경제부", "통상부")
        ):
            continue
        found.append(Mention("organization", m.start(), m.end(), name, {"name": name}))
    return found


def find_programs(text: str) -> list[Mention]:
    return [
        Mention("program", m.start("name"), m.end("name"), m["name"], {"name": m["name"].strip()})
        for m in _PROGRAM_RE.finditer(text)
    ]


def find_events(text: str) -> list[Mention]:
    found = []
    for m in _EVENT_RE.finditer(text):
        raw = m["name"]
        words = raw.split(" ")
        # drop leading words that end in a particle ("전문가와 함께 스마트제조 ... 라운드테이블")
        while len(words) > 1 and (
            _PARTICLE_END.search(words[0]) or words[0] in ("함께", "이번", "이날", "등")
        ):
            words = words[1:]
        name = " ".join(" ".join(words).replace("「", " ").replace("」", " ").split()).strip(
            "『』 "
        )
        word = next((w for w in sorted(EVENT_WORDS, key=len, reverse=True) if w in name), "")
        start = m.start("name") + raw.index(words[0])
        found.append(
            Mention(
                "event",
                start,
                m.end("name"),
                name,
                {"name": name, "kind": EVENT_WORDS.get(word, "meeting")},
            )
        )
    return found


def quoted_names(text: str) -> list[tuple[int, int, str]]:
    return [(m.start("name"), m.end("name"), m["name"]) for m in _QUOTED_RE.finditer(text)]


class Matcher:
    """Existing records by name, short name and fuzzy name, loaded once per analysis."""

    def __init__(self):
        from core.models import Organization, Person
        from events.models import Event
        from programs.models import Program

        self.organizations = self._index(
            Organization.objects.values_list("id", "name", "short_name"), "core.organization"
        )
        self.publishers = set(
            Organization.objects.filter(
                kind__in=("ministry", "agency", "local_government", "ministry_unit")
            ).values_list("id", flat=True)
        )
        self.programs = self._index(
            Program.objects.values_list("id", "name", "short_name"), "programs.program"
        )
        self.events = self._index(
            ((e_id, name, "") for e_id, name in Event.objects.values_list("id", "name")),
            "events.event",
        )
        self.people = {}
        for p_id, name, org_id, org_name in Person.objects.values_list(
            "id", "name", "organization_id", "organization__name"
        ):
            self.people.setdefault(name, []).append((p_id, org_id, org_name or ""))

    @staticmethod
    def _index(rows, label):
        exact, alias, choices = {}, {}, {}
        for pk, name, short in rows:
            exact.setdefault(_key(name), (pk, name))
            if short:
                alias.setdefault(_key(short), (pk, name))
            choices[pk] = _key(name)
        return {"label": label, "exact": exact, "alias": alias, "choices": choices, "names": {}}

    @staticmethod
    def _match(index, name: str) -> dict:
        key = _key(name)
        if not key:
            return {"status": "new"}
        if key in index["exact"]:
            pk, label = index["exact"][key]
            return {
                "status": "existing",
                "model": index["label"],
                "id": pk,
                "label": label,
                "how": "exact",
                "score": 100,
            }
        if key in index["alias"]:
            pk, label = index["alias"][key]
            return {
                "status": "existing",
                "model": index["label"],
                "id": pk,
                "label": label,
                "how": "alias",
                "score": 100,
            }
        if index["choices"]:
            best = process.extractOne(
                key, index["choices"], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best:
                _choice, score, pk = best
                label = _label_of(index, pk)
                return {
                    "status": "existing",
                    "model": index["label"],
                    "id": pk,
                    "label": label,
                    "how": "fuzzy",
                    "score": round(score, 1),
                }
        return {"status": "new"}

    def organization(self, name: str) -> dict:
        return self._match(self.organizations, name)

    def program(self, name: str) -> dict:
        return self._match(self.programs, name)

    def event(self, name: str) -> dict:
        return self._match(self.events, name)

    def person(self, name: str, organization_id=None) -> dict:
        rows = self.people.get(name, [])
        for p_id, org_id, org_name in rows:
            if organization_id is None or org_id == organization_id:
                return {
                    "status": "existing",
                    "model": "core.person",
                    "id": p_id,
                    "label": f"{name} ({org_name})" if org_name else name,
                    "how": "exact",
                    "score": 100,
                }
        return {"status": "new"}

    def known_organizations(self, text: str) -> list[Mention]:
        """Mentions of existing organizations by name or short name (e.g. "중기부")."""
        names = {}
        for key, (pk, name) in self.organizations["exact"].items():
            if len(key) >= 2:
                names[name] = pk
        for key, (pk, _name) in self.organizations["alias"].items():
            if len(key) >= 2:
                names.setdefault(key, pk)
        found = []
        if not names:
            return found
        pattern = re.compile(
            r"(?<![가-힣A-Za-z])("
            + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            + r")(?![A-Za-z]|[가-힣](?![은는이가와과을를에도의로]))",
            re.IGNORECASE,
        )
        for m in pattern.finditer(text):
            found.append(Mention("organization", m.start(), m.end(), m[0], {"name": m[0]}))
        return found


def _label_of(index, pk):
    for p, name in index["exact"].values():
        if p == pk:
            return name
    return ""


def _key(name: str) -> str:
    return re.sub(r"[\s「」『』‘’'\"“”()·]", "", name or "").lower()
