from django.db import migrations


def creer(apps, schema_editor):
    # The values as they were when this migration was written: a migration carries its own copy and never imports
    # live code (avenirpro.donnees_reference.creer_config_site may change or move).
    apps.get_model("dsfr", "DsfrConfig").objects.update_or_create(
        language="fr",
        defaults={
            "site_title": "AvenirPro+",
            "site_tagline": "Quatre mois pour trouver sa voie après le lycée professionnel",
            "header_brand": "République française",
            "header_brand_html": "République<br />française",
            "footer_brand": "République française",
            "footer_brand_html": "République<br />française",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("avenirpro", "0001_initial"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
