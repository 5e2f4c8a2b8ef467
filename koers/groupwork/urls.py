from django.urls import include, path

from koers.groupwork import views

app_name = "groupwork"

urlpatterns = [
    path("groepen/", views.run_list, name="runs"),
    path("groepen/<int:pk>/", views.run_detail, name="run_detail"),
    path("", include("koers.groupwork.public_urls")),
    path("", include("koers.groupwork.referral_urls")),
    path("", include("koers.groupwork.run_urls")),
    path("", include("koers.groupwork.capacity_urls")),
    path("", include("koers.groupwork.attendance_urls")),
    path("", include("koers.groupwork.invitation_urls")),
    path("", include("koers.groupwork.handoff_urls")),
    path("", include("koers.groupwork.evaluation_urls")),
]
