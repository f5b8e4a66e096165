from django.urls import path

from ipsworks.matching import views

urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancy_list"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/import/", views.vacancy_import, name="vacancy_import"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/status/", views.vacancy_status, name="vacancy_status"),
    path("vacancies/<int:pk>/applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("people/<int:pk>/job-search/", views.job_search, name="job_search"),
    path("people/<int:pk>/job-search/targets/", views.target_add, name="job_search_target_add"),
    path(
        "people/<int:pk>/job-search/targets/<int:target_pk>/remove/",
        views.target_remove,
        name="job_search_target_remove",
    ),
]
