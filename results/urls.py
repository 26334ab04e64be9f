"""Staff pages of results reporting, under /admin/results/ (admin login and staff status)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("todo/", admin.site.admin_view(views.todo), name="todo"),
    path("review/", admin.site.admin_view(views.review), name="review"),
    path("update/<int:pk>/", admin.site.admin_view(views.update_detail), name="update"),
    path("period/<int:period_pk>/new/", admin.site.admin_view(views.update_new), name="update-new"),
    path("period/<int:pk>/lock/", admin.site.admin_view(views.period_lock), name="period-lock"),
    path("evidence/<int:pk>/", admin.site.admin_view(views.evidence_download), name="evidence"),
    path(
        "entry/<str:region_code>/<str:start>/",
        admin.site.admin_view(views.entry),
        name="entry",
    ),
    path(
        "entry/<str:region_code>/<str:start>/template.csv",
        admin.site.admin_view(views.entry_template),
        name="entry-template",
    ),
    path(
        "programs/<slug:slug>/results.xlsx",
        admin.site.admin_view(views.workbook),
        name="workbook-staff",
    ),
]
