from django.urls import path

from ipsworks.apitokens import views

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
