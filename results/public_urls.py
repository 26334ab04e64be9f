"""The public results workbook of a program (approved values only)."""

from django.urls import path

from . import views

urlpatterns = [
    path("programs/<slug:slug>/results.xlsx", views.workbook, name="program-results-workbook"),
]
