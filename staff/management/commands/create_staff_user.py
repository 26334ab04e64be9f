import getpass
import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Region
from core.scoping import REGIONAL_EDITOR, ROLE_GROUPS
from staff.models import StaffProfile
from staff.roles import sync_role_groups


class Command(BaseCommand):
    help = (
        "Create or update a staff account with one role. The password comes from "
        "DJANGO_STAFF_PASSWORD, else a prompt; with --no-input a generated one is printed once. "
        "An existing account keeps its password unless DJANGO_STAFF_PASSWORD is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=list(ROLE_GROUPS))
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="CODE",
            help="two-digit region code; repeat for several (required for regional-editor)",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, username, role, region, email, interactive, **options):
        codes = sorted(set(region))
        regions = list(Region.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {r.code for r in regions})
        if unknown:
            raise CommandError(f"Unknown region code(s): {', '.join(unknown)}")
        if role == REGIONAL_EDITOR and not regions:
            raise CommandError("A regional-editor needs at least one --region CODE.")
        if role != REGIONAL_EDITOR and regions:
            raise CommandError("--region applies to the regional-editor role only.")

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        password, generated = self._password(created, interactive)
        with transaction.atomic():
            sync_role_groups(Group, Permission)
            if created:
                user = User(username=username, email=email)
            elif email:
                user.email = email
            user.is_staff = True
            user.is_superuser = False
            user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=ROLE_GROUPS[role])])
            profile, _ = StaffProfile.objects.get_or_create(user=user)
            profile.regions.set(regions)

        verb = "created" if created else "updated"
        where = f" regions: {', '.join(r.code for r in regions)}" if regions else ""
        self.stdout.write(
            self.style.SUCCESS(f"Staff account {verb}: {username} role: {role}{where}")
        )
        if generated:
            self.stdout.write(f"Generated password (shown only once): {password}")

    def _password(self, created: bool, interactive: bool) -> tuple[str | None, bool]:
        """(password to set or None to keep, whether it was generated)."""
        from_env = os.environ.get("DJANGO_STAFF_PASSWORD")
        if from_env:
            return from_env, False
        if not created:
            return None, False
        if not interactive:
            return secrets.token_urlsafe(12), True
        first = getpass.getpass("Password: ")
        if not first or first != getpass.getpass("Password (again): "):
            raise CommandError("Passwords were empty or did not match.")
        return first, False
