import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the staff superuser 'admin' if it does not exist. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        )

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Staff login: {username} (exists; password unchanged)")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        shown = (
            password
            if not os.environ.get("DJANGO_SUPERUSER_PASSWORD")
            else "(DJANGO_SUPERUSER_PASSWORD)"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Staff login created — username: {username}  password: {shown}")
        )
        self.stdout.write("This password is shown only once. Keep it.")
