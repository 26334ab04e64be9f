"""The demo data set: the real records the tracker is built around, taken from five press sources.

Every figure cites the source that states it; where sources disagree both figures are kept.
Loading is idempotent: each record is found by its natural key and only saved when it differs.
This module lives in the top app (events) because the data set spans every app below it.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from companies.models import Company
from core.models import Organization, Person, Region, Source
from core.services import m2m_sync, record_upsert
from indicators.models import Observation, StatisticSeries
from programs.models import (
    BudgetLine,
    Hub,
    Outcome,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
    TargetActual,
)

from .models import SEOUL, AgendaItem, Award, Event, EventOrganization, EventParticipant

EOK = 100_000_000
FLAGSHIP_REGIONS = ["48", "27", "31", "46", "50"]  # 경남, 대구, 울산, 전남, 제주

K = Organization.Kind
ORGANIZATIONS = [
    # key, name, short name, english, kind, parent key, region code
    (
        "mss",
        "중소벤처기업부",
        "중기부",
        "Ministry of SMEs and Startups (MSS)",
        K.MINISTRY,
        None,
        None,
    ),
    (
        "kosme",
        "중소벤처기업진흥공단",
        "중진공",
        "Korea SMEs and Startups Agency (KOSME)",
        K.AGENCY,
        None,
        None,
    ),
    (
        "tipa",
        "중소기업기술정보진흥원",
        "TIPA",
        "Korea Technology and Information Promotion Agency for SMEs (TIPA)",
        K.AGENCY,
        None,
        None,
    ),
    (
        "kosmo",
        "스마트제조혁신추진단",
        "",
        "Korea Smart Manufacturing Office",
        K.AGENCY_UNIT,
        "tipa",
        None,
    ),
    (
        "tipa_ax",
        "중소기업기술정보진흥원 AX전략실",
        "TIPA AX전략실",
        "TIPA AX Strategy Office",
        K.AGENCY_UNIT,
        "tipa",
        None,
    ),
    (
        "ai_tf",
        "중소기업인공지능확산추진단",
        "AI확산추진단",
        "SME AI Diffusion Task Force",
        K.MINISTRY_UNIT,
        "mss",
        None,
    ),
    (
        "mss_mfg",
        "중소벤처기업부 제조혁신과",
        "제조혁신과",
        "MSS Manufacturing Innovation Division",
        K.MINISTRY_UNIT,
        "mss",
        None,
    ),
    (
        "kibo",
        "기술보증기금",
        "기보",
        "Korea Technology Finance Corporation (KIBO)",
        K.AGENCY,
        None,
        None,
    ),
    (
        "semas",
        "소상공인시장진흥공단",
        "소진공",
        "Small Enterprise and Market Service (SEMAS)",
        K.AGENCY,
        None,
        None,
    ),
    (
        "kised",
        "창업진흥원",
        "",
        "Korea Institute of Startup and Entrepreneurship Development (KISED)",
        K.AGENCY,
        None,
        None,
    ),
    (
        "kosbi",
        "중소벤처기업연구원",
        "중기연",
        "Korea Small Business Institute (KOSBI)",
        K.RESEARCH_INSTITUTE,
        None,
        None,
    ),
    (
        "kiet",
        "산업연구원",
        "",
        "Korea Institute for Industrial Economics and Trade (KIET)",
        K.RESEARCH_INSTITUTE,
        None,
        None,
    ),
    (
        "stepi",
        "과학기술정책연구원",
        "STEPI",
        "Science and Technology Policy Institute (STEPI)",
        K.RESEARCH_INSTITUTE,
        None,
        None,
    ),
    (
        "etri",
        "한국전자통신연구원",
        "ETRI",
        "Electronics and Telecommunications Research Institute (ETRI)",
        K.RESEARCH_INSTITUTE,
        None,
        None,
    ),
    (
        "kbiz",
        "중소기업중앙회",
        "중기중앙회",
        "Korea Federation of SMEs (KBIZ)",
        K.ASSOCIATION,
        None,
        None,
    ),
    ("kova", "벤처기업협회", "", "Korea Venture Business Association", K.ASSOCIATION, None, None),
    (
        "kamp",
        "한국자율제조플랫폼협회",
        "",
        "Korea Autonomous Manufacturing Platform Association",
        K.ASSOCIATION,
        None,
        None,
    ),
    (
        "busan_coop",
        "부산청정표면처리사업협동조합",
        "",
        "Busan Clean Surface Treatment Cooperative",
        K.ASSOCIATION,
        None,
        "26",
    ),
    (
        "ai_council",
        "중소·벤처 AI+ 정책협의체",
        "",
        "SME & Venture AI+ Policy Council",
        K.COMMITTEE,
        "mss",
        None,
    ),
    (
        "nasc",
        "국가인공지능전략위원회",
        "",
        "National AI Strategy Committee",
        K.COMMITTEE,
        None,
        None,
    ),
    ("court", "서울회생법원", "", "Seoul Bankruptcy Court", K.COURT, None, "11"),
    ("assembly", "국회", "", "National Assembly", K.LEGISLATURE, None, None),
    ("gnu", "경상국립대학교", "경상대", "Gyeongsang National University", K.UNIVERSITY, None, "48"),
    ("cwnu", "창원대학교", "창원대", "Changwon National University", K.UNIVERSITY, None, "48"),
    ("kyungnam", "경남대학교", "경남대", "Kyungnam University", K.UNIVERSITY, None, "48"),
    ("inje", "인제대학교", "인제대", "Inje University", K.UNIVERSITY, None, "48"),
    ("kyonggi", "경기대학교", "경기대", "Kyonggi University", K.UNIVERSITY, None, "41"),
    ("korea_univ", "고려대학교", "고려대", "Korea University", K.UNIVERSITY, None, "11"),
    ("kaist", "한국과학기술원", "KAIST", "KAIST", K.UNIVERSITY, None, "30"),
    (
        "gcuic",
        "경남창원산학융합원",
        "",
        "Gyeongnam Changwon Industry-University Convergence Campus",
        K.OTHER,
        None,
        "48",
    ),
    (
        "gov_48",
        "경상남도",
        "경남도",
        "Gyeongsangnam-do Provincial Government",
        K.LOCAL_GOVERNMENT,
        None,
        "48",
    ),
    ("gov_27", "대구광역시", "대구시", "Daegu Metropolitan City", K.LOCAL_GOVERNMENT, None, "27"),
    ("gov_31", "울산광역시", "울산시", "Ulsan Metropolitan City", K.LOCAL_GOVERNMENT, None, "31"),
    (
        "gov_46",
        "전라남도",
        "전남도",
        "Jeollanam-do Provincial Government",
        K.LOCAL_GOVERNMENT,
        None,
        "46",
    ),
    (
        "gov_50",
        "제주특별자치도",
        "제주도",
        "Jeju Special Self-Governing Province",
        K.LOCAL_GOVERNMENT,
        None,
        "50",
    ),
]

COMPANIES = [
    # key, name, english, region code, ceo, demand company?, industry
    ("cheonil", "천일엔지니어링", "Cheonil Engineering", None, "조환수", True, "자동차 부품"),
    ("interx", "인터엑스", "INTERX", None, "박정윤", False, ""),
    ("donga_plating", "동아플레이팅", "Donga Plating", "26", "이오선", False, "표면처리"),
    (
        "lg_ptri",
        "LG 생산기술원",
        "LG Production Engineering Research Institute",
        None,
        "",
        False,
        "",
    ),
    ("naver_cloud", "네이버클라우드", "NAVER Cloud", None, "", False, ""),
    ("robot_valley", "로봇밸리", "Robot Valley", None, "", False, ""),
    ("makinarocks", "마키나락스", "MakinaRocks", None, "", False, ""),
    ("amorepacific", "아모레퍼시픽", "Amorepacific", None, "", False, "화장품"),
    ("lg_hnh", "LG생활건강", "LG H&H", None, "", False, "화장품"),
    ("kolmar", "한국콜마", "Kolmar Korea", None, "", False, "화장품"),
    ("kakao_mobility", "카카오모빌리티", "Kakao Mobility", None, "", False, "플랫폼"),
    ("kakao_bank", "카카오뱅크", "KakaoBank", None, "", False, "금융"),
    ("toss", "토스", "Toss", None, "", False, "금융"),
]

PEOPLE = [
    # key, name, organization key, position, phone, email
    ("han", "한성숙", "mss", "장관", "", ""),
    ("heo", "허성무", "assembly", "국회의원 (더불어민주당)", "", ""),
    ("kang_sj", "강석진", "kosme", "이사장", "", ""),
    ("kim_mj", "김명주", "gov_48", "경제부지사", "", ""),
    ("noh", "노용석", "mss", "제1차관 (장관 직무대행)", "", ""),
    ("hwang", "황영호", "mss", "기술혁신정책관", "", ""),
    ("kwak", "곽재경", "ai_tf", "단장", "044-204-7250", ""),
    ("boo", "부영희", "ai_tf", "서기관", "044-204-7752", ""),
    ("yang_sh", "양소현", "ai_tf", "주무관", "044-204-7242", ""),
    ("song", "송치평", "tipa_ax", "실장", "044-300-0921", ""),
    ("kim_sa", "김선아", "tipa_ax", "", "044-300-0925", ""),
    ("lee_sh", "이상호", "kamp", "대표", "", ""),
    ("jang", "장태우", "kyonggi", "교수", "", ""),
    ("kang_sju", "강성주", "etri", "", "", ""),
    ("park", "박정윤", "interx", "대표", "", ""),
    ("kim_jm", "김주미", "kosbi", "선임연구위원", "", ""),
    ("lee_shy", "이상현", "kiet", "디지털·AI전환생태계연구실장", "", ""),
    ("kwon", "권순재", "mss_mfg", "제조혁신과장", "", ""),
    ("lee_yh", "이영환", "korea_univ", "디지털혁신연구센터", "", ""),
    ("lee_os", "이오선", "donga_plating", "대표 (부산청정표면처리사업협동조합 이사장)", "", ""),
    ("oh", "오기웅", "kbiz", "부회장", "", ""),
    ("jin", "진병채", "kaist", "", "", ""),
    ("yang_ch", "양찬희", "kbiz", "", "", ""),
    ("cho", "조환수", "cheonil", "대표", "", ""),
]


POSITION_EN = {
    "han": "Minister",
    "heo": "Member of the National Assembly (Democratic Party)",
    "kang_sj": "Chairman",
    "kim_mj": "Vice-Governor for Economic Affairs",
    "noh": "1st Vice Minister (acting Minister)",
    "hwang": "Director General for Technology Innovation Policy",
    "kwak": "Head",
    "boo": "Deputy Director",
    "yang_sh": "Officer",
    "song": "Head of office",
    "lee_sh": "CEO",
    "jang": "Professor",
    "park": "CEO",
    "kim_jm": "Senior Research Fellow",
    "lee_shy": "Head, Digital & AI Transition Ecosystem Lab",
    "kwon": "Director, Manufacturing Innovation Division",
    "lee_yh": "Digital Innovation Research Center",
    "lee_os": "CEO (Chair, Busan Clean Surface Treatment Cooperative)",
    "oh": "Vice-Chairman",
    "cho": "CEO",
}


TITLE_EN = {
    "KAIST": "KAIST",
    "경기대학교 교수": "Professor, Kyonggi University",
    "경상남도 경제부지사 — 5개 시도를 대표해 사업추진계획 발표": "Vice-Governor for Economic Affairs, Gyeongnam — presented the plan on behalf of the five regions",
    "고려대학교 디지털혁신연구센터": "Digital Innovation Research Center, Korea University",
    "국회의원 (더불어민주당)": "Member of the National Assembly (Democratic Party)",
    "기술혁신정책관": "Director General for Technology Innovation Policy, MSS",
    "동아플레이팅 대표, 부산청정표면처리사업협동조합 이사장": "CEO of Donga Plating; Chair, Busan Clean Surface Treatment Cooperative",
    "부단체장": "Vice-head of the regional government",
    "인터엑스 대표": "CEO, INTERX",
    "전문기업 지정제도 실태조사": "Survey for the supplier-firm designation system",
    "제1차관 (장관 직무대행)": "1st Vice Minister (acting Minister)",
    "제조 중소기업의 AI 활용 실태": "AI use in manufacturing SMEs",
    "중소 제조기업 맞춤형 AX 정책방향": "Tailored AX policy for manufacturing SMEs",
    "중소기업인공지능확산추진단장": "Head, SME AI Diffusion Task Force",
    "중소기업중앙회": "Korea Federation of SMEs",
    "중소기업중앙회 부회장": "Vice-Chairman, Korea Federation of SMEs",
    "중소벤처기업부 장관": "Minister of SMEs and Startups",
    "중소벤처기업부 제조혁신과장": "Director, Manufacturing Innovation Division, MSS",
    "중소벤처기업진흥공단 이사장": "Chairman, KOSME",
    "한국자율제조플랫폼협회 대표": "CEO, Korea Autonomous Manufacturing Platform Association",
    "한국전자통신연구원": "ETRI",
}


def _kst(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SEOUL)


SOURCES = [
    {
        "key": "s1-sisanewspeople-vision-ceremony",
        "kind": Source.Kind.NEWS,
        "publisher": "시사뉴스피플",
        "author": "손영철",
        "title": "지역 AI 대전환 비전선포식 (2025-11-19) 기사",
        "published_at": _kst(2025, 11, 1),
        "published_precision": Source.Precision.MONTH,
        "note": "기사에 발행일이 인쇄되지 않음. 2025-11-19 행사 기사이므로 2025년 11월로 기록.",
    },
    {
        "key": "s2-newsstep-gyeongnam-ceremony",
        "kind": Source.Kind.NEWS,
        "publisher": "뉴스스텝",
        "author": "최선경",
        "title": "경상남도, 정부 첫 중소기업 인공지능 전환 선포식, 경남에서 개최",
        "published_at": _kst(2025, 11, 19, 19, 10),
        "published_precision": Source.Precision.MINUTE,
        "note": "",
    },
    {
        "key": "s3-mss-ai-plus-council",
        "kind": Source.Kind.PRESS_RELEASE,
        "publisher": "중소벤처기업부",
        "author": "",
        "title": "AI 대전환을 위한 「중소·벤처 AI+ 정책협의체」 간담회 개최",
        "published_at": _kst(2026, 7, 1, 12, 0),
        "published_precision": Source.Precision.MINUTE,
        "note": "2026-07-01 12:00 배포, 2026-07-02 조간 보도.",
    },
    {
        "key": "s4-newsstep-roundtable",
        "kind": Source.Kind.NEWS,
        "publisher": "뉴스스텝",
        "author": "최선경",
        "title": "중기부, 산업계·학계 전문가와 스마트제조 정책혁신 라운드테이블 개최",
        "published_at": _kst(2025, 4, 9, 16, 5),
        "published_precision": Source.Precision.MINUTE,
        "note": "",
    },
    {
        "key": "s5-metroseoul-ai-gap",
        "kind": Source.Kind.NEWS,
        "publisher": "메트로서울",
        "author": "김승호",
        "title": "중소, 대기업과 AI 활용 격차 11배",
        "url": "https://www.metroseoul.co.kr/",
        "published_at": _kst(2026, 5, 18),
        "published_precision": Source.Precision.DAY,
        "note": "일자는 기사 내용(18일 토론회)으로 추정. 같은 면의 모두의 챌린지, 기보, KVMCC 단신 포함.",
    },
]


class DemoLoader:
    """Loads the demo records; ``changes`` counts the rows created or updated."""

    def __init__(self, *, update: bool = True):
        self.update = update
        self.changes = 0
        self.org = {}
        self.person = {}
        self.src = {}
        self.program = {}
        self.event = {}

    # -- small helpers ---------------------------------------------------------------------
    def put(self, model, lookup, values=None):
        instance, changed = record_upsert(
            model, lookup=lookup, values=values or {}, update=self.update
        )
        self.changes += changed
        return instance

    def link(self, manager, objects):
        self.changes += m2m_sync(manager, objects, update=self.update)

    def region(self, code):
        return self.regions[code]

    # -- the data set ----------------------------------------------------------------------
    @transaction.atomic
    def load(self):
        self.regions = {r.code: r for r in Region.objects.all()}
        self.load_sources()
        self.load_organizations()
        self.load_people()
        self.load_programs()
        self.load_flagship()
        self.load_events()
        self.load_awards()
        self.load_statistics()
        return self.changes

    def load_sources(self):
        for row in SOURCES:
            values = {k: v for k, v in row.items() if k != "key"}
            values.setdefault("url", "")
            self.src[row["key"][:2]] = self.put(Source, {"key": row["key"]}, values)

    def load_organizations(self):
        for key, name, short, name_en, kind, parent, region in ORGANIZATIONS:
            self.org[key] = self.put(
                Organization,
                {"name": name, "kind": kind},
                {
                    "short_name": short,
                    "name_en": name_en,
                    "parent": self.org[parent] if parent else None,
                    "region": self.region(region) if region else None,
                },
            )
        for key, name, name_en, region, ceo, demand, industry in COMPANIES:
            self.org[key] = self.put(
                Company,
                {"name": name, "kind": Organization.Kind.COMPANY},
                {
                    "name_en": name_en,
                    "region": self.region(region) if region else None,
                    "ceo_name": ceo,
                    "is_ai_demand": demand,
                    "industry": industry,
                },
            )

    def load_people(self):
        for key, name, org, position, phone, email in PEOPLE:
            self.person[key] = self.put(
                Person,
                {"name": name, "organization": self.org[org]},
                {
                    "position": position,
                    "position_en": POSITION_EN.get(key, ""),
                    "phone": phone,
                    "email": email,
                },
            )

    def program_put(self, slug, *, sources=(), roles=(), related=(), **values):
        values.setdefault("lead_ministry", None)
        program = self.put(Program, {"slug": slug}, values)
        self.program[slug] = program
        self.link(program.sources, [self.src[s] for s in sources])
        for org_key, role in roles:
            self.put(
                ProgramOrganization,
                {"program": program, "organization": self.org[org_key], "role": role},
            )
        for other in related:
            self.link_related(program, self.program[other])
        return program

    def link_related(self, program, other):
        if not program.related.filter(pk=other.pk).exists():
            program.related.add(other)
            self.changes += 1

    def load_programs(self):
        P, R = Program, ProgramOrganization.Role
        mss = self.org["mss"]
        self.program_put(
            "smart-manufacturing-ecosystem-plan",
            name="스마트제조혁신 생태계 조성 방안",
            name_en="Plan for a smart-manufacturing innovation ecosystem",
            kind=P.Kind.PLAN,
            status=P.Status.ANNOUNCED,
            lead_ministry=mss,
            actual_start=datetime.date(2024, 10, 2),
            summary="2024년 10월 2일 발표된 스마트제조혁신 생태계 조성 방안.",
            summary_en="Plan announced on 2 October 2024.",
            sources=["s4"],
        )
        self.program_put(
            "smart-manufacturing-supplier-designation",
            name="스마트제조 전문기업 지정제도",
            name_en="Designation system for smart-manufacturing supplier firms",
            kind=P.Kind.SYSTEM,
            status=P.Status.IN_PREPARATION,
            lead_ministry=mss,
            summary="스마트제조 공급기업을 전문기업으로 지정하는 제도. 산업연구원과 실태조사·연구 중.",
            summary_en="Designation of smart-manufacturing supplier firms, studied with KIET.",
            description="「스마트제조혁신 생태계 조성 방안」(2024.10.2.)의 후속 조치. "
            "지정제도 도입 후 「스마트제조산업 육성법」 제정을 추진한다.",
            sources=["s4"],
            roles=[("mss", R.HOST), ("kiet", R.RESEARCH)],
            related=["smart-manufacturing-ecosystem-plan"],
        )
        self.program_put(
            "smart-manufacturing-industry-act",
            name="스마트제조산업 육성법",
            name_en="Smart Manufacturing Industry Promotion Act",
            kind=P.Kind.LAW,
            status=P.Status.PLANNED,
            lead_ministry=mss,
            summary="전문기업 지정제도에 이어 제정을 추진할 법률.",
            summary_en="Bill to follow the designation system.",
            sources=["s4"],
            related=["smart-manufacturing-supplier-designation"],
        )
        self.program_put(
            "ai-solution-demonstration",
            name="AI 솔루션 실증 지원사업",
            name_en="AI solution demonstration support program",
            kind=P.Kind.PROGRAM,
            status=P.Status.UNKNOWN,
            lead_ministry=mss,
            summary="중기부의 AI 솔루션 실증 지원사업. 중소벤처기업연구원이 성과를 분석했다.",
            summary_en="MSS program supporting AI solution demonstrations; results analysed by KOSBI.",
            sources=["s4"],
            roles=[("mss", R.HOST), ("kosbi", R.RESEARCH)],
        )
        self.program_put(
            "smart-manufacturing-innovation-3",
            name="AI 기반 스마트제조혁신 3.0 전략",
            name_en="AI-based Smart Manufacturing Innovation 3.0 strategy",
            kind=P.Kind.STRATEGY,
            status=P.Status.ANNOUNCED,
            lead_ministry=mss,
            summary="중기부가 관계부처와 함께 마련한 전략. 2025년 11월 19일 컨퍼런스에서 공유.",
            summary_en="Strategy drawn up by MSS with related ministries; shared on 19 Nov 2025.",
            sources=["s1"],
            roles=[("mss", R.HOST)],
        )
        self.program_put(
            "korea-ai-action-plan",
            name="대한민국 인공지능 행동계획",
            name_en="Korea AI Action Plan",
            kind=P.Kind.PLAN,
            status=P.Status.ANNOUNCED,
            summary="국가인공지능전략위원회의 행동계획.",
            summary_en="Action plan of the National AI Strategy Committee.",
            sources=["s3"],
            roles=[("nasc", R.HOST)],
        )
        self.program_put(
            "regional-company-ai-promotion-plan",
            name="지역기업 AI 활용 촉진 방안 (가칭)",
            name_en="Measures to promote AI use by regional companies (working title)",
            kind=P.Kind.PLAN,
            status=P.Status.IN_PREPARATION,
            lead_ministry=mss,
            planned_start=datetime.date(2026, 1, 1),
            date_note="2026년 수립 중",
            date_note_en="Being prepared in 2026",
            summary="「대한민국 인공지능 행동계획」에 따라 중기부가 마련 중인 방안.",
            summary_en="Being prepared by MSS following the Korea AI Action Plan.",
            sources=["s3"],
            roles=[("mss", R.HOST), ("stepi", R.RESEARCH)],
            related=["korea-ai-action-plan"],
        )
        self.program_put(
            "sme-ai-utilization-act",
            name="「중소기업 AI 활용 촉진법」 제정안",
            name_en="SME AI Utilisation Promotion Act (bill)",
            kind=P.Kind.LAW,
            status=P.Status.UNDER_DELIBERATION,
            lead_ministry=mss,
            planned_start=datetime.date(2026, 1, 1),
            date_note="2026년 국회 심의 중",
            date_note_en="Under deliberation in the National Assembly in 2026",
            summary="국회에서 심의 중인 중소기업 AI 활용 촉진 법률 제정안.",
            summary_en="Bill under deliberation in the National Assembly in 2026.",
            sources=["s3"],
        )
        tips = self.program_put(
            "tips",
            name="TIPS (민간투자주도형 기술창업지원)",
            short_name="TIPS",
            name_en="TIPS",
            kind=P.Kind.PROGRAM,
            status=P.Status.IN_PROGRESS,
            lead_ministry=mss,
            summary="지역기업 선정 비중을 20% 이상으로 높인다.",
            summary_en="Raises the share of regional companies among those selected to 20% or more.",
            sources=["s1"],
        )
        scale_up = self.program_put(
            "scale-up-tips",
            name="스케일업팁스",
            name_en="Scale-up TIPS",
            kind=P.Kind.PROGRAM,
            status=P.Status.IN_PROGRESS,
            lead_ministry=mss,
            summary="운영사 중 지역 VC 약 14.6%, 투자액의 약 41%가 지역기업. 지역기업 선정 비중 50% 이상 목표.",
            summary_en="About 14.6% of operators are regional VCs and about 41% of investment goes to "
            "regional companies; target: 50% or more regional companies.",
            sources=["s1"],
            related=["tips"],
        )
        for program, share in ((tips, 20), (scale_up, 50)):
            self.put(
                Target,
                {"program": program, "metric": "지역기업 선정 비중"},
                {
                    "metric_en": "Share of regional companies among those selected",
                    "unit": "%",
                    "direction": Target.Direction.HIGHER,
                    "comparator": Target.Comparator.GTE,
                    "target_value": Decimal(share),
                    "source": self.src["s1"],
                },
            )
        challenge = self.program_put(
            "everyone-challenge",
            name="모두의 챌린지",
            name_en="Everyone's Challenge (open-innovation challenge)",
            kind=P.Kind.PROGRAM,
            status=P.Status.IN_PROGRESS,
            application_start=datetime.date(2026, 5, 19),
            application_end=datetime.date(2026, 6, 8),
            date_note="원문은 '19일부터 다음 달 8일까지'; 연·월은 추정.",
            date_note_en="The source says 'from the 19th until the 8th of next month'; year and month inferred.",
            summary="스타트업과 수요기관 간 PoC·판로 연계 개방형 혁신 챌린지. AX, 국방, 로봇 등 9개 분야.",
            summary_en="Open-innovation challenge linking startups with lead institutions for PoCs "
            "and sales channels, in 9 fields including AX, defence and robotics.",
            sources=["s5"],
        )
        fields = [
            (
                "everyone-challenge-beauty",
                "모두의 챌린지 — 뷰티 분야",
                "Everyone's Challenge — beauty",
                ["amorepacific", "lg_hnh", "kolmar"],
                "스타트업 15개사 선정. 기업당 최대 1억 원의 협업 자금과 해외 판로 지원.",
                "15 startups; up to KRW 100 million of collaboration funds each plus overseas sales channels.",
            ),
            (
                "everyone-challenge-platform",
                "모두의 챌린지 — 플랫폼 분야",
                "Everyone's Challenge — platform",
                ["kakao_mobility", "kakao_bank", "toss"],
                "소상공인을 위한 AI 솔루션 스타트업 10개사 선정. 기업당 최대 1억 원.",
                "10 startups with AI solutions for small merchants; up to KRW 100 million each.",
            ),
        ]
        for slug, name, name_en, demand, summary, summary_en in fields:
            self.program_put(
                slug,
                name=name,
                name_en=name_en,
                kind=P.Kind.CALL,
                status=P.Status.IN_PROGRESS,
                parent=challenge,
                application_start=datetime.date(2026, 5, 19),
                application_end=datetime.date(2026, 6, 8),
                date_note="연·월은 추정.",
                date_note_en="Year and month inferred.",
                summary=summary,
                summary_en=summary_en,
                sources=["s5"],
                roles=[(key, R.DEMAND_COMPANY) for key in demand],
            )
            self.put(
                Target,
                {"program": self.program[slug], "metric": "선정 스타트업"},
                {
                    "metric_en": "Startups selected",
                    "unit": "개사",
                    "direction": Target.Direction.HIGHER,
                    "comparator": Target.Comparator.EQ,
                    "target_value": Decimal(15 if "beauty" in slug else 10),
                    "source": self.src["s5"],
                },
            )
        self.program_put(
            "kibo-restart-guarantee",
            name="재도전 재기지원보증",
            name_en="KIBO re-start guarantee",
            kind=P.Kind.PROGRAM,
            status=P.Status.IN_PROGRESS,
            summary="기술보증기금이 서울회생법원과 협약을 맺고 회생기업을 발굴해 보증 지원.",
            summary_en="KIBO agreement with the Seoul Bankruptcy Court to find and fund companies "
            "in rehabilitation.",
            sources=["s5"],
            roles=[("kibo", R.HOST), ("court", R.PARTNER)],
        )
        kvmcc = self.program_put(
            "kvmcc",
            name="KVMCC 벤처코칭멘토 인증",
            name_en="KVMCC venture coaching mentor certification",
            kind=P.Kind.SYSTEM,
            status=P.Status.IN_PROGRESS,
            summary="벤처기업협회의 벤처코칭멘토 인증. 서류 선발 후 3단계 시험으로 인증.",
            summary_en="Venture Business Association certification of venture coaching mentors.",
            sources=["s5"],
            roles=[("kova", R.HOST)],
        )
        first = self.program_put(
            "kvmcc-cohort-1",
            name="KVMCC 벤처코칭멘토 인증 1기",
            name_en="KVMCC mentor certification, cohort 1",
            kind=P.Kind.PROGRAM,
            status=P.Status.COMPLETED,
            parent=kvmcc,
            actual_start=datetime.date(2025, 12, 1),
            date_note="2025년 12월 시작 (일자 미상)",
            date_note_en="Started December 2025 (day unknown)",
            summary="25명 인증.",
            summary_en="25 certified.",
            sources=["s5"],
            roles=[("kova", R.HOST)],
        )
        certified = self.put(
            Target,
            {"program": first, "metric": "인증 인원"},
            {
                "metric_en": "Mentors certified",
                "unit": "명",
                "direction": Target.Direction.HIGHER,
                "comparator": Target.Comparator.GTE,
                "target_value": Decimal(25),
                "note": "1기 목표는 출처에 없어 2기 목표(약 25명)와 같은 규모로 기록",
                "source": self.src["s5"],
            },
        )
        self.put(
            TargetActual,
            {"target": certified, "period_end": datetime.date(2026, 5, 18)},
            {"value": Decimal(25), "source": self.src["s5"], "note": "1기 25명 인증"},
        )
        second = self.program_put(
            "kvmcc-cohort-2",
            name="KVMCC 벤처코칭멘토 인증 2기",
            name_en="KVMCC mentor certification, cohort 2",
            kind=P.Kind.CALL,
            status=P.Status.IN_PROGRESS,
            parent=kvmcc,
            application_end=datetime.date(2026, 6, 10),
            summary="서류로 약 50명의 교육생을 선발하고 3단계 시험을 거쳐 약 25명을 인증.",
            summary_en="About 50 trainees selected on documents; about 25 certified after a 3-stage exam.",
            sources=["s5"],
            roles=[("kova", R.HOST)],
        )
        for metric, metric_en, value in (
            ("서류 선발 교육생 (약)", "Trainees selected on documents (about)", 50),
            ("인증 인원 (약)", "Mentors certified (about)", 25),
        ):
            self.put(
                Target,
                {"program": second, "metric": metric},
                {
                    "metric_en": metric_en,
                    "unit": "명",
                    "direction": Target.Direction.HIGHER,
                    "comparator": Target.Comparator.EQ,
                    "target_value": Decimal(value),
                    "source": self.src["s5"],
                },
            )

    def load_flagship(self):
        P, R = Program, ProgramOrganization.Role
        flagship = self.program_put(
            "region-led-ai-transformation",
            name="지역 주도형 AI 대전환사업",
            short_name="지역 AI 대전환",
            name_en="Region-led AI transformation program",
            kind=P.Kind.PROGRAM,
            status=P.Status.IN_PROGRESS,
            lead_ministry=self.org["mss"],
            planned_start=datetime.date(2025, 1, 1),
            date_note="2025년 2차 추경으로 신설 (시작일 미상)",
            date_note_en="Created by the 2nd supplementary budget of 2025 (start date unknown)",
            summary="지역 중소기업의 AI 활용을 높이는 중기부 신규 사업. 지자체가 지역 산업에 맞는 "
            "사업을 제안해 경남·대구·울산·전남·제주 5곳이 선정됐다.",
            summary_en="New MSS program to raise regional SMEs' AI use. Local governments proposed "
            "projects fitting their industries; Gyeongnam, Daegu, Ulsan, Jeonnam and Jeju were selected.",
            description="지자체는 GPU·테스트베드 장비를 갖춘 거점을 구축하고 지역 중소기업의 AI 전환과 "
            "맞춤형 인재 양성을 주도한다. 중소벤처기업진흥공단이 주관한다.",
            description_en="Local governments build hubs with GPUs and test-bed equipment, lead SME AI "
            "transformation and customised talent training. KOSME manages the program.",
            sources=["s1", "s2"],
            roles=[("mss", R.HOST), ("kosme", R.ORGANIZER)],
            related=["smart-manufacturing-innovation-3"],
        )
        self.put(
            BudgetLine,
            {"program": flagship, "source": self.src["s1"], "amount_krw": 350 * EOK},
            {
                "funding_source": BudgetLine.FundingSource.NATIONAL,
                "vehicle": BudgetLine.Vehicle.SUPPLEMENTARY_2,
                "fiscal_year": 2025,
                "status": BudgetLine.Status.COMMITTED,
                "purpose": "사업 예산 (2차 추경 확보)",
                "purpose_en": "Program budget secured in the 2nd supplementary budget",
                "quoted_text": "2차 추경 350억 원",
            },
        )
        self.put(
            BudgetLine,
            {"program": flagship, "source": self.src["s2"], "amount_krw": 234 * EOK},
            {
                "funding_source": BudgetLine.FundingSource.NATIONAL_AND_OTHER,
                "vehicle": BudgetLine.Vehicle.UNSPECIFIED,
                "fiscal_year": 2025,
                "status": BudgetLine.Status.ANNOUNCED,
                "purpose": "지역 거점 GPU·테스트베드 인프라",
                "purpose_en": "GPU and test-bed infrastructure at regional hubs",
                "quoted_text": "국비 등 234억 원 (부제: 시도별 234억원 지원)",
            },
        )
        # 경남 is created with its full detail below, so that --missing-only creates it whole.
        for code in FLAGSHIP_REGIONS:
            if code != "48":
                self.put(
                    RegionalParticipation,
                    {"program": flagship, "region": self.region(code)},
                    {"status": RegionalParticipation.Status.SELECTED},
                )
        hub = self.put(
            Hub,
            {"region": self.region("48"), "name": "제조AI 데이터센터"},
            {
                "name_en": "Manufacturing AI Data Center",
                "site_name": "경남창원산학융합원",
                "address": "경상남도 창원시 의창구 팔용동",
                "city": "창원시",
                "capabilities": "엔비디아(NVIDIA) GPU와 테스트베드 장비. 자문·컨설팅부터 데이터 분석, "
                "솔루션 개발, 실증까지 원스톱 지원.",
                "capabilities_en": "NVIDIA GPUs and test-bed equipment; one-stop support from advisory "
                "consulting through data analysis, solution development and demonstration.",
                "has_gpu": True,
                "has_testbed": True,
                "opening_hours": "24시간",
                "opening_hours_en": "24 hours",
            },
        )
        self.link(hub.sources, [self.src["s2"]])
        linked = []
        for slug, name, name_en, eok, start, end in (
            (
                "ax-demonstration-complex",
                "AX실증산단 구축사업",
                "AX demonstration industrial complex",
                222,
                2025,
                2028,
            ),
            ("ai-factory", "AI팩토리사업", "AI Factory program", 256, 2025, 2028),
            (
                "manufacturing-ai-convergence-base",
                "제조업 AI융합기반 조성사업",
                "Manufacturing AI convergence base program",
                450,
                2024,
                2026,
            ),
        ):
            program = self.program_put(
                slug,
                name=name,
                name_en=name_en,
                kind=P.Kind.PROGRAM,
                status=P.Status.IN_PROGRESS,
                planned_start=datetime.date(start, 1, 1),
                planned_end=datetime.date(end, 12, 31),
                date_note=f"{start}–{end}년 (연 단위만 알려짐)",
                date_note_en=f"{start}–{end} (years only)",
                summary="경남의 지역 AI 대전환과 연계된 국가 사업.",
                summary_en="National program linked to Gyeongnam's regional AI transformation.",
                sources=["s2"],
                related=["region-led-ai-transformation"],
            )
            self.put(
                BudgetLine,
                {"program": program, "source": self.src["s2"], "amount_krw": eok * EOK},
                {
                    "funding_source": BudgetLine.FundingSource.UNSPECIFIED,
                    "vehicle": BudgetLine.Vehicle.UNSPECIFIED,
                    "period_start_year": start,
                    "period_end_year": end,
                    "status": BudgetLine.Status.ANNOUNCED,
                    "purpose": "경남 연계 사업비",
                    "purpose_en": "Linked program in Gyeongnam",
                },
            )
            linked.append(program)
        gyeongnam = self.put(
            RegionalParticipation,
            {"program": flagship, "region": self.region("48")},
            {
                "status": RegionalParticipation.Status.SELECTED,
                "strategy_title": "제조 특화 AI 대전환",
                "strategy_title_en": "Manufacturing-specialised AI transformation",
                "plan_title": "지역주도 AI 대전환 사업추진계획",
                "official": self.person["kim_mj"],
                "summary": "경남은 선정된 5개 시도를 대표해 「지역주도 AI 대전환 사업추진계획」을 "
                "발표했다. 창원 팔용동 경남창원산학융합원에 제조AI 데이터센터를 두고 도내 중소기업 30개사를 "
                "공모로 뽑아 맞춤형 AI 솔루션 개발·실증을 지원하며, 경상대·창원대·경남대·인제대와 AI "
                "인재 300명 이상을 양성한다.",
                "summary_en": "Gyeongnam presented the regional plan on behalf of the five regions. "
                "Its manufacturing AI data centre in Changwon supports 30 SMEs chosen by open call, "
                "and 300+ AI talents are trained with four universities.",
            },
        )
        self.link(gyeongnam.hubs, [hub])
        self.link(gyeongnam.linked_programs, linked)
        for rp in flagship.regional_participations.all():
            self.link(rp.sources, [self.src["s1"], self.src["s2"]])
        for metric, metric_en, unit, direction, comparator, value, applies in (
            (
                "맞춤형 AI 솔루션 개발·실증 지원 중소기업 (공모 선정)",
                "SMEs supported with customised AI solutions (open call)",
                "개사",
                "higher",
                "eq",
                30,
                "",
            ),
            (
                "AI 인재 양성 (경상대·창원대·경남대·인제대)",
                "AI talents trained (with four universities)",
                "명",
                "higher",
                "gte",
                300,
                "",
            ),
            ("매출 증가율", "Sales growth", "%", "higher", "gte", 12, "참여 기업 (기대효과)"),
            (
                "제조원가 변화율",
                "Manufacturing cost change",
                "%",
                "lower",
                "lte",
                -5,
                "참여 기업 (기대효과)",
            ),
            (
                "납기 준수율",
                "On-time delivery rate",
                "%",
                "higher",
                "gte",
                95,
                "참여 기업 (기대효과)",
            ),
        ):
            self.put(
                Target,
                {"regional_participation": gyeongnam, "metric": metric},
                {
                    "metric_en": metric_en,
                    "unit": unit,
                    "direction": direction,
                    "comparator": comparator,
                    "target_value": Decimal(value),
                    "applies_to": applies,
                    "applies_to_en": "Participating companies (expected effect)" if applies else "",
                    "source": self.src["s2"],
                },
            )

    def event_put(self, slug, *, sources=(), programs=(), roles=(), **values):
        values.setdefault("parent", None)
        event = self.put(Event, {"slug": slug}, values)
        self.event[slug] = event
        self.link(event.sources, [self.src[s] for s in sources])
        self.link(event.programs, [self.program[p] for p in programs])
        for org_key, role in roles:
            self.put(
                EventOrganization,
                {"event": event, "organization": self.org[org_key], "role": role},
            )
        return event

    def participant(self, event, order, role, *, person=None, org=None, title="", public=True):
        self.put(
            EventParticipant,
            {
                "event": event,
                "role": role,
                "person": self.person[person] if person else None,
                "organization": self.org[org] if org else None,
            },
            {
                "order": order,
                "title_at_event": title,
                "title_at_event_en": TITLE_EN.get(title, ""),
                "is_public": public,
            },
        )

    def load_events(self):
        E, Org, PR = Event, EventOrganization.Role, EventParticipant.Role
        ceremony = self.event_put(
            "2025-regional-ai-vision-ceremony",
            name="지역 AI 대전환 비전선포식",
            name_en="Regional AI transformation vision ceremony",
            kind=E.Kind.CEREMONY,
            starts_at=_kst(2025, 11, 19),
            time_is_known=False,
            venue_name="창원컨벤션센터",
            venue_name_en="Changwon Convention Center",
            city="창원시",
            region=self.region("48"),
            attendee_count_approx=200,
            summary="정부 첫 중소기업 AI 전환 선포식. 지역 주도형 AI 대전환사업에 선정된 5개 시도와 "
            "AI 공급·수요기업 대표 등 약 200명이 참석했다.",
            summary_en="The government's first SME AI transformation ceremony, with the five selected "
            "regions and AI supplier and demand company CEOs; about 200 attendees.",
            sources=["s1", "s2"],
            programs=[
                "region-led-ai-transformation",
                "smart-manufacturing-innovation-3",
                "scale-up-tips",
            ],
            roles=[("mss", Org.HOST), ("kosme", Org.ORGANIZER)],
        )
        self.participant(ceremony, 1, PR.GUEST, person="han", title="중소벤처기업부 장관")
        self.participant(ceremony, 2, PR.GUEST, person="heo", title="국회의원 (더불어민주당)")
        self.participant(
            ceremony, 3, PR.GUEST, person="kang_sj", title="중소벤처기업진흥공단 이사장"
        )
        self.participant(
            ceremony,
            4,
            PR.PRESENTER,
            person="kim_mj",
            title="경상남도 경제부지사 — 5개 시도를 대표해 사업추진계획 발표",
        )
        for order, code in enumerate(FLAGSHIP_REGIONS, start=5):
            self.participant(ceremony, order, PR.GUEST, org=f"gov_{code}", title="부단체장")
        side_events = [
            (
                "2025-smart-manufacturing-3-conference",
                "스마트제조혁신 3.0 컨퍼런스",
                "Smart Manufacturing Innovation 3.0 conference",
                E.Kind.CONFERENCE,
                ["smart-manufacturing-innovation-3"],
            ),
            (
                "2025-ax-best-practice-awards",
                "AX 우수사례 시상",
                "AX best-practice awards",
                E.Kind.AWARD_CEREMONY,
                [],
            ),
            (
                "2025-manufacturing-innovation-citations",
                "제조혁신 유공표창",
                "Manufacturing innovation merit citations",
                E.Kind.AWARD_CEREMONY,
                [],
            ),
            (
                "2025-scale-up-tips-meeting",
                "스케일업팁스 운영사·AI 기업 간담회",
                "Scale-up TIPS operators and AI companies meeting",
                E.Kind.MEETING,
                ["scale-up-tips"],
            ),
            (
                "2025-ai-supplier-ir",
                "AI 공급기업 IR",
                "AI supplier IR",
                E.Kind.IR,
                ["scale-up-tips"],
            ),
            (
                "2025-ai-supplier-demand-meeting",
                "AI 공급·수요기업 간담회",
                "AI supplier and demand companies meeting",
                E.Kind.MEETING,
                [],
            ),
            ("2025-ai-exhibition-booths", "전시 부스", "Exhibition booths", E.Kind.EXHIBITION, []),
        ]
        for slug, name, name_en, kind, programs in side_events:
            summary = ""
            if kind == E.Kind.IR:
                summary = "스케일업팁스 운영사와 동남권 VC를 대상으로 한 AI 공급기업 투자설명회."
            self.event_put(
                slug,
                name=name,
                name_en=name_en,
                kind=kind,
                parent=ceremony,
                starts_at=_kst(2025, 11, 19),
                time_is_known=False,
                venue_name="창원컨벤션센터",
                venue_name_en="Changwon Convention Center",
                city="창원시",
                region=self.region("48"),
                summary=summary,
                sources=["s1"],
                programs=programs,
            )
        conference = self.event["2025-smart-manufacturing-3-conference"]
        for order, key in enumerate(["lg_ptri", "naver_cloud", "robot_valley", "makinarocks"], 1):
            self.participant(conference, order, PR.SPEAKER, org=key)

        council = self.event_put(
            "2026-ai-plus-policy-council",
            name="중소·벤처 AI+ 정책협의체 간담회",
            name_en="SME & Venture AI+ policy council meeting",
            kind=E.Kind.COUNCIL_MEETING,
            starts_at=_kst(2026, 7, 1, 14, 0),
            ends_at=_kst(2026, 7, 1, 16, 0),
            venue_name="청주 오스코(OSCO)",
            venue_name_en="OSCO, Cheongju",
            city="청주시",
            region=self.region("43"),
            alternative_venue_name="오송역 회의실",
            alternative_venue_note="보도자료 본문은 청주 오스코, 붙임 자료는 오송역 회의실로 적음",
            attendee_count_approx=20,
            summary="협의체는 2026년 3월부터 매월 정책 간담회를, 분기마다 민관 포럼을 연다. "
            "이날은 노용석 제1차관이 장관 직무대행으로 주재했다.",
            summary_en="The council has held monthly policy talks since March 2026 and quarterly "
            "public-private forums; chaired by 1st Vice Minister Noh Yong-seok as acting minister.",
            release_at=_kst(2026, 7, 1, 12, 0),
            embargo_until=_kst(2026, 7, 2),
            embargo_note="2026년 7월 2일 조간",
            open_to_press=True,
            sources=["s3"],
            programs=[
                "sme-ai-utilization-act",
                "regional-company-ai-promotion-plan",
                "region-led-ai-transformation",
            ],
            roles=[("mss", Org.HOST)],
        )
        agenda = [
            (
                14,
                0,
                14,
                10,
                "개회 및 참석자 소개",
                "Opening and introductions",
                "opening",
                None,
                "",
                "",
            ),
            (
                14,
                10,
                14,
                20,
                "① 기관별 상반기 성과 및 하반기 추진계획",
                "① First-half results and second-half plans by institution",
                "talk",
                None,
                "공공기관",
                "Public bodies",
            ),
            (
                14,
                20,
                14,
                30,
                "② 중소·벤처기업 AI 도입 업계 동향",
                "② Industry trends in SME and venture AI adoption",
                "talk",
                None,
                "협회·단체",
                "Associations",
            ),
            (
                14,
                30,
                14,
                40,
                "③ 지역 AI 대전환 사업 우수사례",
                "③ Best cases of the regional AI transformation program",
                "talk",
                None,
                "AI 기업",
                "AI companies",
            ),
            (
                14,
                40,
                14,
                50,
                "④ 「중소기업 AI 활용 촉진법」 제정안 추진 현황",
                "④ Status of the SME AI Utilisation Promotion Act bill",
                "talk",
                "mss",
                "중소벤처기업부",
                "MSS",
            ),
            (
                14,
                50,
                15,
                0,
                "⑤ 지역기업 AI 활용 촉진 방안 추진계획",
                "⑤ Plan for the regional-company AI promotion measures",
                "talk",
                "stepi",
                "과학기술정책연구원",
                "STEPI",
            ),
            (
                15,
                0,
                16,
                0,
                "건의사항 자유 토론",
                "Open discussion of suggestions",
                "discussion",
                None,
                "참석자 전원",
                "All participants",
            ),
        ]
        for order, (h1, m1, h2, m2, title, title_en, kind, org, note, note_en) in enumerate(
            agenda, 1
        ):
            self.put(
                AgendaItem,
                {"event": council, "order": order},
                {
                    "starts_at": _kst(2026, 7, 1, h1, m1),
                    "ends_at": _kst(2026, 7, 1, h2, m2),
                    "title": title,
                    "title_en": title_en,
                    "kind": kind,
                    "presenter_organization": self.org[org] if org else None,
                    "presenter_note": note,
                    "presenter_note_en": note_en,
                    "open_to_press": True,
                },
            )
        self.participant(council, 1, PR.HOST, person="noh", title="제1차관 (장관 직무대행)")
        self.participant(council, 2, PR.ATTENDEE, person="hwang", title="기술혁신정책관")
        self.participant(
            council, 3, PR.ATTENDEE, person="kwak", title="중소기업인공지능확산추진단장"
        )
        for order, key in enumerate(["kosme", "kibo", "semas", "tipa", "kised", "kova"], 4):
            self.participant(council, order, PR.ATTENDEE, org=key)
        self.participant(
            council, 10, PR.ATTENDEE, person="lee_sh", title="한국자율제조플랫폼협회 대표"
        )
        self.participant(council, 11, PR.ATTENDEE, person="jang", title="경기대학교 교수")
        self.participant(council, 12, PR.ATTENDEE, person="kang_sju", title="한국전자통신연구원")
        self.participant(council, 13, PR.ATTENDEE, person="park", title="인터엑스 대표")
        for order, key in enumerate(["kwak", "boo", "yang_sh", "song", "kim_sa"], 20):
            self.participant(council, order, PR.PRESS_CONTACT, person=key, public=False)

        roundtable = self.event_put(
            "2025-smart-manufacturing-roundtable",
            name="스마트제조 정책혁신 라운드테이블",
            name_en="Smart manufacturing policy innovation roundtable",
            kind=E.Kind.ROUNDTABLE,
            starts_at=_kst(2025, 4, 9),
            time_is_known=False,
            venue_name="서울스퀘어",
            venue_name_en="Seoul Square",
            city="서울",
            region=self.region("11"),
            attendee_count_approx=40,
            summary="산업계·학계 전문가와 스마트제조 정책 방향을 논의했다. 후속으로 4월 하순 핵심 공정별 "
            "AAS 표준 참조모델과 스마트제조 R&D 2.0 전략기술 로드맵을 주제로 한 라운드테이블을 예고했다.",
            summary_en="Policy discussion with industry and academic experts; a follow-up roundtable in "
            "late April 2025 on AAS standard reference models per key process and the smart "
            "manufacturing R&D 2.0 technology roadmap was announced.",
            sources=["s4"],
            programs=[
                "smart-manufacturing-supplier-designation",
                "ai-solution-demonstration",
                "smart-manufacturing-ecosystem-plan",
            ],
            roles=[("mss", Org.HOST), ("kosmo", Org.ORGANIZER)],
        )
        self.participant(
            roundtable, 1, PR.PRESENTER, person="kim_jm", title="제조 중소기업의 AI 활용 실태"
        )
        self.participant(
            roundtable, 2, PR.PRESENTER, person="lee_shy", title="전문기업 지정제도 실태조사"
        )
        self.participant(
            roundtable, 3, PR.ATTENDEE, person="kwon", title="중소벤처기업부 제조혁신과장"
        )

        debate = self.event_put(
            "2026-kbiz-ax-policy-debate",
            name="중소기업 신 성장동력, AI 전환(AX) 확산정책 토론회",
            name_en="New growth engine for SMEs: AX diffusion policy debate",
            kind=E.Kind.DEBATE,
            starts_at=_kst(2026, 5, 18),
            time_is_known=False,
            date_note="원문은 '18일'; 연·월은 추정",
            date_note_en="The source says 'the 18th'; year and month inferred",
            venue_name="중소기업중앙회 본부 (여의도)",
            venue_name_en="KBIZ head office, Yeouido",
            city="서울",
            region=self.region("11"),
            summary="중기중앙회는 협동조합을 통한 업종별 AX 확산, 현장형 AX 교육, AX 솔루션 운영비(OPEX) "
            "세제 지원을 건의했다.",
            summary_en="KBIZ asked for AX diffusion by industry through cooperatives, field AX training "
            "and tax support for AX solution operating costs (OPEX).",
            sources=["s5"],
            roles=[("kbiz", Org.HOST)],
        )
        self.participant(
            debate, 1, PR.PRESENTER, person="kim_jm", title="중소 제조기업 맞춤형 AX 정책방향"
        )
        self.participant(
            debate, 2, PR.PRESENTER, person="lee_yh", title="고려대학교 디지털혁신연구센터"
        )
        self.participant(
            debate,
            3,
            PR.DISCUSSANT,
            person="lee_os",
            title="동아플레이팅 대표, 부산청정표면처리사업협동조합 이사장",
        )
        self.participant(debate, 4, PR.GUEST, person="oh", title="중소기업중앙회 부회장")
        self.participant(debate, 5, PR.ATTENDEE, person="jin", title="KAIST")
        self.participant(debate, 6, PR.ATTENDEE, person="yang_ch", title="중소기업중앙회")

    def load_awards(self):
        cheonil = self.org["cheonil"]
        outcomes = [
            self.put(
                Outcome,
                {"company": cheonil, "metric": metric},
                {
                    "metric_en": metric_en,
                    "unit": "%",
                    "direction": direction,
                    "change_pct": Decimal(change),
                    "verification": Outcome.Verification.CLAIMED,
                    "source": self.src["s1"],
                },
            )
            for metric, metric_en, direction, change in (
                ("불량률", "Defect rate", Target.Direction.LOWER, "-42.3"),
                ("생산성", "Productivity", Target.Direction.HIGHER, "20.8"),
            )
        ]
        award = self.put(
            Award,
            {"name": "AX 우수사례 시상", "year": 2025, "recipient_company": cheonil},
            {
                "name_en": "AX best-practice awards",
                "event": self.event["2025-ax-best-practice-awards"],
                "selection_stages": "2025년 8월부터 지방중소벤처기업청 예선 → 본선",
                "selected_count": 10,
                "rank": "대상",
                "rank_en": "Grand prize",
                "citation": "자동차 부품 품질 검사에 AI 비전 검사를 도입해 불량률 42.3% 감소, 생산성 20.8% 향상.",
                "citation_en": "AI vision inspection of automotive parts quality: defect rate −42.3%, "
                "productivity +20.8%.",
                "recipient_note": "10개사 선정, 장관상 등 수여",
            },
        )
        self.link(award.outcomes, outcomes)
        self.link(award.sources, [self.src["s1"]])
        citation = self.put(
            Award,
            {"name": "제조혁신 유공표창", "year": 2025, "recipient_company": None},
            {
                "name_en": "Manufacturing innovation merit citations",
                "event": self.event["2025-manufacturing-innovation-citations"],
                "recipient_note": "출처에 수상자가 밝혀지지 않음",
            },
        )
        self.link(citation.sources, [self.src["s1"]])

    def load_statistics(self):
        kosbi = self.org["kosbi"]
        survey = "중소 제조기업 맞춤형 AX 정책방향 (김주미, 2026-05-18 발표)"
        D = Observation.Dimension
        series = [
            (
                "ai-utilization-rate",
                "기업 AI 활용률",
                "AI utilisation rate of firms",
                "%",
                [
                    (D.FIRM_SIZE, "대기업", "Large enterprises", "1.0", "13.5"),
                    (D.FIRM_SIZE, "중소기업", "SMEs", "0.2", "4.5"),
                    (D.INDUSTRY, "서비스업", "Services", "0.3", "6.8"),
                    (D.INDUSTRY, "제조업", "Manufacturing", "0.2", "2.5"),
                    (D.AREA, "수도권", "Capital area", "0.3", "6.1"),
                    (D.AREA, "비수도권", "Non-capital area", "0.1", "1.8"),
                ],
            ),
            (
                "ai-utilization-gap",
                "대기업·중소기업 AI 활용률 격차",
                "AI utilisation gap, large enterprises vs SMEs",
                "%p",
                [(D.COMPARISON, "대기업 − 중소기업", "Large − SME", "0.8", "9.0")],
            ),
        ]
        for slug, name, name_en, unit, rows in series:
            s = self.put(
                StatisticSeries,
                {"slug": slug},
                {
                    "name": name,
                    "name_en": name_en,
                    "unit": unit,
                    "source_organization": kosbi,
                    "source": self.src["s5"],
                    "survey": survey,
                },
            )
            for dimension, segment, segment_en, v2017, v2023 in rows:
                for period, value in (("2017", v2017), ("2023", v2023)):
                    printed, note = "", ""
                    if segment == "중소기업" and period == "2017":
                        printed = "0.25"
                        note = "인쇄된 값은 0.25이나, 함께 제시된 격차 0.8%p(1.0−0.2)로 보아 0.2로 기록"
                    if slug == "ai-utilization-gap" and period == "2023":
                        note = "2017년 0.8%p에서 약 11배로 확대"
                    self.put(
                        Observation,
                        {"series": s, "segment": segment, "period": period},
                        {
                            "dimension": dimension,
                            "segment_en": segment_en,
                            "value": Decimal(value),
                            "printed_value": printed,
                            "note": note,
                        },
                    )
        ratio = self.put(
            StatisticSeries,
            {"slug": "ai-utilization-capital-ratio"},
            {
                "name": "수도권·비수도권 AI 활용률 배율",
                "name_en": "AI utilisation ratio, capital vs non-capital area",
                "unit": "배",
                "source_organization": kosbi,
                "source": self.src["s5"],
                "survey": survey,
            },
        )
        self.put(
            Observation,
            {"series": ratio, "segment": "수도권 ÷ 비수도권", "period": "2023"},
            {
                "dimension": D.COMPARISON,
                "segment_en": "Capital ÷ non-capital",
                "value": Decimal("3.4"),
            },
        )
        smart = self.put(
            StatisticSeries,
            {"slug": "sme-smart-manufacturing"},
            {
                "name": "중소기업 스마트제조 현황",
                "name_en": "Smart manufacturing among SMEs",
                "unit": "%",
                "source_organization": kosbi,
                "source": self.src["s5"],
                "survey": survey,
                "methodology_note": "조사 연도는 출처에 없음",
            },
        )
        for segment, segment_en, value in (
            ("스마트공장 도입률", "Smart-factory adoption", "19.8"),
            ("도입기업 중 기초 수준", "Of adopters: basic level", "73.8"),
            (
                "제조 데이터 실시간 자동 수집",
                "Collect manufacturing data automatically in real time",
                "3.9",
            ),
            ("제조 데이터 미수집", "Collect no manufacturing data", "21.5"),
            (
                "스마트제조혁신이 중요하지 않다는 응답",
                "Say smart-manufacturing innovation is not important",
                "64",
            ),
        ):
            self.put(
                Observation,
                {"series": smart, "segment": segment, "period": ""},
                {"dimension": D.TOTAL, "segment_en": segment_en, "value": Decimal(value)},
            )
        tips = self.put(
            StatisticSeries,
            {"slug": "scale-up-tips-regional"},
            {
                "name": "스케일업팁스 지역 비중",
                "name_en": "Scale-up TIPS: regional shares",
                "unit": "%",
                "source": self.src["s1"],
                "methodology_note": "'약' 값. 기준 시점은 출처에 없음 (2025년 11월 보도).",
            },
        )
        for segment, segment_en, value in (
            ("운영사 중 지역 VC", "Operators that are regional VCs", "14.6"),
            ("투자액 중 지역기업", "Investment going to regional companies", "41"),
        ):
            self.put(
                Observation,
                {"series": tips, "segment": segment, "period": ""},
                {
                    "dimension": D.TOTAL,
                    "segment_en": segment_en,
                    "value": Decimal(value),
                    "note": "약",
                },
            )


def load_demo(*, update: bool = True) -> int:
    """Load (or bring up to date) the demo data set; returns the number of rows changed.

    ``update=False`` only adds what is missing and keeps staff edits to existing records.
    """
    return DemoLoader(update=update).load()
