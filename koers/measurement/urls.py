from koers.measurement import entry_urls, group_urls, results_urls

app_name = "measurement"

urlpatterns = [*entry_urls.urlpatterns, *results_urls.urlpatterns, *group_urls.urlpatterns]
