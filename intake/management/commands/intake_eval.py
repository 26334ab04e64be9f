"""``python manage.py intake_eval``: precision and recall of the intake on its labelled texts."""

from django.core.management.base import BaseCommand

from intake.eval.run import main


class Command(BaseCommand):
    help = "보도자료 입수의 정밀도·재현율(값 종류별)과 10쪽 분량 처리 시간을 출력합니다."

    def handle(self, *args, **options):
        code = main(write=self.stdout.write)
        if code:
            raise SystemExit(code)
