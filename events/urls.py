"""Public event pages: the list and each event with its agenda, participants and awards."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
]
