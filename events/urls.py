"""Public pages at the site root: home, program detail, region, company, events, search."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("search/", views.search, name="search"),
]
