import getpass
import os
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.db.models import Q

from core.models import Region
from core.scoping import REGIONAL_EDITOR, ROLE_GROUPS
from staff.models import StaffProfile
from staff.roles import sync_role_groups


def region_list() -> str:
    """ "11 서울특별시 (서울), …, 50 제주특별자치도 (제주)" for --help (empty without a database)."""
    try:
        regions = list(Region.objects.order_by("code").values_list("code", "name", "short_name"))
    except DatabaseError:
        return ""
    return ", ".join(f"{code} {name} ({short})" for code, name, short in regions)


def find_region(value: str) -> Region | None:
    """A region by its code ("48"), name ("경상남도") or short name ("경남")."""
    value = value.strip()
    return Region.objects.filter(Q(code=value) | Q(name=value) | Q(short_name=value)).first()


class Command(BaseCommand):
    help = (
        "Create or update a staff account with one role. The password comes from "
        "DJANGO_STAFF_PASSWORD, else a prompt; with --no-input a generated one is printed once. "
        "A password must pass the AUTH_PASSWORD_VALIDATORS. An existing account keeps its "
        "password unless DJANGO_STAFF_PASSWORD is set (reset one with 'manage.py changepassword')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=list(ROLE_GROUPS))
        regions = region_list()
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="REGION",
            help="region by code, name or short name (48, 경상남도, 경남); repeat for several "
            "(required for regional-editor)" + (f". Regions: {regions}" if regions else ""),
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, username, role, region, email, interactive, **options):
        regions, unknown = [], []
        for value in region:
            found = find_region(value)
            if found is None:
                unknown.append(value)
            elif found not in regions:
                regions.append(found)
        if unknown:
            raise CommandError(
                f"Unknown region(s): {', '.join(unknown)}. "
                f"Use a code, name or short name: {region_list()}"
            )
        regions.sort(key=lambda r: r.code)
        if role == REGIONAL_EDITOR and not regions:
            raise CommandError("A regional-editor needs at least one --region (e.g. 48 or 경남).")
        if role != REGIONAL_EDITOR and regions:
            raise CommandError("--region applies to the regional-editor role only.")

        User = get_user_model()
        try:
            User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
        except ValidationError as error:
            raise CommandError(f"Invalid username: {' '.join(error.messages)}") from error
        user = User.objects.filter(username=username).first()
        created = user is None
        candidate = user or User(username=username, email=email)
        password, generated = self._password(created, interactive, candidate)
        with transaction.atomic():
            sync_role_groups(Group, Permission)
            if created:
                user = candidate
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
        if not created and password is None:
            self.stdout.write(
                f"The account already existed: its password was not changed. To reset it, run "
                f"'python manage.py changepassword {username}' (or set DJANGO_STAFF_PASSWORD "
                f"and run this command again)."
            )

    def _password(self, created: bool, interactive: bool, user) -> tuple[str | None, bool]:
        """(password to set or None to keep, whether it was generated); a given password must
        pass Django's password validators."""
        from_env = os.environ.get("DJANGO_STAFF_PASSWORD")
        if from_env:
            return self._validated(from_env, user, "DJANGO_STAFF_PASSWORD"), False
        if not created:
            return None, False
        if not interactive:
            return secrets.token_urlsafe(12), True
        first = getpass.getpass("Password: ")
        if not first or first != getpass.getpass("Password (again): "):
            raise CommandError("Passwords were empty or did not match.")
        return self._validated(first, user, "The password"), False

    def _validated(self, password: str, user, what: str) -> str:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                f"{what} was refused, nothing was saved: {' '.join(error.messages)}"
            ) from error
        return password
