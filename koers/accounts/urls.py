from django.urls import path

from koers.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.KoersLoginView.as_view(), name="login"),
    path("tweede-factor/", views.mfa_verify, name="mfa_verify"),
    path("tweede-factor/instellen/", views.mfa_enrol, name="mfa_enrol"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("sessie/verlengen/", views.extend_session, name="extend_session"),
]
