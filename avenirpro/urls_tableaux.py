app_name = "tableaux"

urlpatterns = []
