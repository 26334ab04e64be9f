from django.core.management.base import BaseCommand

from core.search import rebuild


class Command(BaseCommand):
    help = (
        "Index every searchable record again (core/search.py). The index follows every save "
        "on its own; run this after loading data with COPY or raw SQL. Also run nightly."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} documents."))
