"""Public program URLs (the program detail page lives in events/urls.py: it shows events too)."""

from django.urls import path

from . import views

urlpatterns = [
    path("programs/", views.program_list, name="program-list"),
]
