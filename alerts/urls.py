from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.save_search, name="alert-save"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alert-unsubscribe"),
]
