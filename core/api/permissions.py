"""API permissions: anyone reads public data; writes need a staff user with the model permission."""

from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class ReadPublicWriteWithModelPerms(BasePermission):
    """Safe methods are open; anything else needs an authenticated staff user with model perms."""

    model_perms = DjangoModelPermissions()

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        return self.model_perms.has_permission(request, view)


class StaffOnly(BasePermission):
    """Every method needs an authenticated staff user (e.g. people with contact data)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if request.method in SAFE_METHODS:
            return True
        return DjangoModelPermissions().has_permission(request, view)
