"""Staff pages under /admin/staff/ (admin login and staff status required)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path(
        "imports/<str:kind>/new/",
        admin.site.admin_view(views.import_upload),
        name="import-upload",
    ),
    path(
        "imports/<str:kind>/template.<str:fmt>",
        admin.site.admin_view(views.import_template),
        name="import-template",
    ),
    path(
        "imports/job/<int:pk>/", admin.site.admin_view(views.import_job_detail), name="import-job"
    ),
    path(
        "imports/job/<int:pk>/status.json",
        admin.site.admin_view(views.import_job_status),
        name="import-job-status",
    ),
    path(
        "imports/job/<int:pk>/confirm/",
        admin.site.admin_view(views.import_job_confirm),
        name="import-job-confirm",
    ),
    path(
        "imports/job/<int:pk>/restart/",
        admin.site.admin_view(views.import_job_restart),
        name="import-job-restart",
    ),
    path("data-quality/", admin.site.admin_view(views.data_quality), name="data-quality"),
    path(
        "data-quality/summary.csv",
        admin.site.admin_view(views.data_quality_summary_csv),
        name="data-quality-summary",
    ),
]
