from django.urls import path

from koers.home import views

app_name = "home"

urlpatterns = [
    path("", views.root, name="root"),
    path("start/", views.start, name="start"),
]
