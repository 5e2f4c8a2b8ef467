from django.urls import URLPattern, path

from koers.groupwork import referral_views as views

urlpatterns: list[URLPattern] = [
    path("trajecten/instrumenten/<int:instrument_pk>/aanmelden/", views.refer_view, name="refer"),
    path("aanmeldingen/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("aanmeldingen/<int:pk>/intrekken/", views.referral_withdraw, name="referral_withdraw"),
    path("aanmeldingen/<int:pk>/plaatsen/", views.referral_place, name="referral_place"),
    path("aanmeldingen/<int:pk>/plaatsing-terugdraaien/", views.referral_unplace, name="referral_unplace"),
    path("aanmeldingen/<int:pk>/afwijzen/", views.referral_decline, name="referral_decline"),
    path("wachtlijsten/", views.waiting_lists, name="waiting_lists"),
    path("wachtlijsten/<int:programme_pk>/", views.waiting_list, name="waiting_list"),
]
