from django.urls import path

from ipsworks.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/columns/", views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
]
