app_name = "entretiens"

urlpatterns = []
