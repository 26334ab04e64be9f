"""Public pages at the site root that draw on every app: home, program, region, company, search."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("regions/", views.region_list, name="region-list"),
    path("companies/", views.company_list, name="company-list"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("search/", views.search, name="search"),
]
