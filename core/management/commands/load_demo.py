from django.core.management.base import BaseCommand, CommandError

from core.demo import DemoDataError, check_demo, load_demo
from core.search import deferred_indexing


class Command(BaseCommand):
    help = (
        "Load the demo data set (demo/*.yaml: programs, regions, companies, events, awards, "
        "statistics). Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only add demo records that are missing; keep staff edits to existing ones "
            "(what `make run` does on every start).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the data files (fields, values, references); write nothing.",
        )

    def handle(self, *args, missing_only=False, check=False, **options):
        try:
            if check:
                data = check_demo()
                rows = sum(len(t.entries) for t in data.tables)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Demo data is well-formed: {len(data.tables)} tables, {rows} rows."
                    )
                )
                return
            with deferred_indexing():  # each changed record indexed once, links included
                changed = load_demo(update=not missing_only)
        except DemoDataError as exc:
            raise CommandError(
                f"The demo data has {len(exc.problems)} problem(s); nothing was written:\n"
                + "\n".join(exc.problems)
            ) from exc
        if changed:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded: {changed} rows created or updated.")
            )
        else:
            self.stdout.write("Demo data already up to date: nothing changed.")
