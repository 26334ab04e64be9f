"""``python manage.py opendata_build``: build the open-data package now, in this process."""

from django.core.management.base import BaseCommand

from opendata import services
from opendata.models import DataPackage


class Command(BaseCommand):
    help = "공개 데이터 묶음(ZIP, datapackage.json)을 지금 이 프로세스에서 만듭니다."

    def handle(self, *args, **options):
        package = DataPackage.objects.create(trigger=DataPackage.Trigger.COMMAND)
        package = services.opendata_package_build(package_id=package.pk)
        self.stdout.write(
            f"{package.file.name} · {package.tables} tables · {package.rows} rows · "
            f"{package.size_bytes} bytes · sha256 {package.sha256}"
        )
