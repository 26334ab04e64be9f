from django.urls import path

from .views import program_report_download

urlpatterns = [
    path(
        "programs/<slug:slug>/report.xlsx",
        program_report_download,
        name="program-report",
    ),
]
