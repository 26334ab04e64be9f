"""``python manage.py intake PATH [--published YYYY-MM-DD] [--format json]``: the proposals of a
press release or news page, without writing anything."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.propose import analyse, public_answer
from intake.readers import IntakeInputError, read_upload


class Command(BaseCommand):
    help = "보도자료·뉴스 파일에서 기록 제안을 만듭니다 (아무것도 저장하지 않습니다)."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".txt, .html, .pdf 또는 .hwpx 파일")
        parser.add_argument("--published", help="발행일 YYYY-MM-DD (본문에 없을 때)")
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, path, published=None, format="text", **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"파일이 없습니다: {path}")
        published_on = None
        if published:
            try:
                published_on = dt.date.fromisoformat(published)
            except ValueError as error:
                raise CommandError(f"발행일은 YYYY-MM-DD 형식이어야 합니다: {published}") from error
        try:
            document = read_upload(file.name, file.read_bytes())
        except IntakeInputError as error:
            raise CommandError(error.message) from error
        answer = public_answer(analyse(document, published=published_on))
        if format == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        source = answer["source"]
        self.stdout.write(
            f"출처: {source['publisher']} — {source['title']} ({source['published_at']})"
        )
        for article in answer["articles"]:
            mark = "관련" if article["relevant"] else "무관"
            self.stdout.write(f"\n[{mark}] {article['title']}\n  {article['reason']}")
            for proposal in article["proposals"]:
                self.stdout.write(
                    f"  - {proposal['kind']} {proposal['confidence']:.2f} {proposal['match']['status']}: "
                    + json.dumps(proposal["fields"], ensure_ascii=False)
                )
