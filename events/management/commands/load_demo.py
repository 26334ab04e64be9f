from django.core.management.base import BaseCommand

from events.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data set (programs, regions, companies, events, awards, statistics). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only add demo records that are missing; keep staff edits to existing ones "
            "(what `make run` does on every start).",
        )

    def handle(self, *args, missing_only=False, **options):
        changed = load_demo(update=not missing_only)
        if changed:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded: {changed} rows created or updated.")
            )
        else:
            self.stdout.write("Demo data already up to date: nothing changed.")
