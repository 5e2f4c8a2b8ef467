from django.urls import URLPattern

app_name = "principles"

urlpatterns: list[URLPattern] = []
