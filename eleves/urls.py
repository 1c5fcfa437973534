app_name = "eleves"

urlpatterns = []
