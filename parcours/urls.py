app_name = "parcours"

urlpatterns = []
