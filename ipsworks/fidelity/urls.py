"""Fidelity review pages, under /fidelity/."""

from django.urls import path

from ipsworks.fidelity import views

urlpatterns = [
    path("", views.review_list, name="fidelity_reviews"),
    path("new/", views.review_new, name="fidelity_review_new"),
    path("<int:pk>/", views.review_detail, name="fidelity_review"),
    path("<int:pk>/items/<int:item>/", views.item_detail, name="fidelity_item"),
    path("<int:pk>/items/<int:item>/records/", views.item_records, name="fidelity_records"),
    path("<int:pk>/refresh/", views.review_refresh, name="fidelity_refresh"),
    path("<int:pk>/finish/", views.review_finish, name="fidelity_finish"),
    path("<int:pk>/new-version/", views.review_new_version, name="fidelity_new_version"),
    path("<int:pk>/actions/", views.action_plan, name="fidelity_actions"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_status, name="fidelity_action_status"),
    path("<int:pk>/history/", views.history, name="fidelity_history"),
    path("<int:pk>/review.xlsx", views.export_xlsx, name="fidelity_export_xlsx"),
    path("<int:pk>/review.pdf", views.export_pdf, name="fidelity_export_pdf"),
]
