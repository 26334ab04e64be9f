"""Public pages at the site root that draw on every app: home, program, region, company, search."""

from django.urls import path

from . import calendars, embed, feeds, search, views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("regions/", views.region_list, name="region-list"),
    path("companies/", views.company_list, name="company-list"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("search/", search.search, name="search"),
    # Channels (public/feeds.py, public/calendars.py): filters ?region= &program= &kind=
    path("feeds/programs.atom", feeds.ProgramFeed(), name="feed-programs"),
    path("feeds/events.atom", feeds.EventFeed(), name="feed-events"),
    path("calendars/events.ics", calendars.events_calendar, name="calendar-events"),
    path(
        "calendars/applications.ics", calendars.applications_calendar, name="calendar-applications"
    ),
    path("events/<slug:slug>/event.ics", calendars.event_calendar, name="event-calendar"),
    # Embeddable cards (public/embed.py): framable by EMBED_ALLOWED_ORIGINS only
    path("embed/programs/<slug:slug>/", embed.program_card, name="embed-program"),
    path("embed/regions/<str:code>/", embed.region_card, name="embed-region"),
]
