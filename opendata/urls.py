from django.urls import path

from . import views

urlpatterns = [
    path("opendata/sme-ai-tracker-opendata.zip", views.download, name="opendata-download"),
    path("opendata/datapackage.json", views.datapackage, name="opendata-datapackage"),
    path("opendata/catalog.jsonld", views.dcat_catalog, name="opendata-catalog"),
]
