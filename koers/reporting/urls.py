from django.urls import path

from koers.reporting import views

app_name = "reporting"

urlpatterns = [
    path("verantwoording/", views.index, name="index"),
    path("verantwoording/financier/", views.financier, name="financier"),
    path("verantwoording/management/", views.management, name="management"),
    path("verantwoording/exporteren/", views.export, name="export"),
    path("verantwoording/exports/<int:pk>/", views.export_status, name="export_status"),
    path("verantwoording/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
