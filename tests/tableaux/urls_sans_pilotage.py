"""An address book without the dashboards (tests/tableaux/test_tableaux.py: the kept links follow the one in force)."""

urlpatterns: list = []
