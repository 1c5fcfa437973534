from django.db import migrations


def creer(apps, schema_editor):
    from avenirpro.donnees_reference import creer_config_site

    creer_config_site(apps.get_model("dsfr", "DsfrConfig"))


class Migration(migrations.Migration):
    dependencies = [
        ("avenirpro", "0001_initial"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
