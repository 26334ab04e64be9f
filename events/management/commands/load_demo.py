from django.core.management.base import BaseCommand

from events.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data set (programs, regions, companies, events, awards, statistics). Idempotent."

    def handle(self, *args, **options):
        changed = load_demo()
        if changed:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded: {changed} rows created or updated.")
            )
        else:
            self.stdout.write("Demo data already up to date: nothing changed.")
