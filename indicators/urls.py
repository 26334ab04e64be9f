"""Public statistics page."""

from django.urls import path

from . import views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
]
