"""The one API router: every app's viewsets are registered here, under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
