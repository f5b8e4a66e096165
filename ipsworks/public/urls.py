"""Addresses of the public front door (no sign-in) and of the staff pages behind it."""

from django.urls import path

from ipsworks.public import views

urlpatterns = [
    # Public: one front door per service, at its short name.
    path("ips/<slug:short_name>/", views.service_page, name="public_service"),
    path("ips/<slug:short_name>/refer/", views.self_referral, name="public_self_referral"),
    path(
        "ips/<slug:short_name>/refer/sent/",
        views.self_referral_sent,
        name="public_self_referral_sent",
    ),
    path(
        "ips/<slug:short_name>/employers/",
        views.employer_enquiry,
        name="public_employer_enquiry",
    ),
    path(
        "ips/<slug:short_name>/employers/sent/",
        views.employer_enquiry_sent,
        name="public_employer_enquiry_sent",
    ),
    path("ips/<slug:short_name>/privacy/", views.privacy, name="public_privacy"),
    # Staff: the administrator's settings and the managers' enquiries.
    path("service/public-page/", views.page_settings_home, name="public_page_settings_home"),
    path(
        "service/<slug:short_name>/public-page/",
        views.page_settings,
        name="public_page_settings",
    ),
    path("enquiries/", views.enquiry_list, name="enquiry_list"),
    path("enquiries/<int:pk>/answer/", views.enquiry_answer, name="enquiry_answer"),
]
