"""Reference rows the product needs in every database (also re-created by the browser-test fixtures,
since transactional tests truncate every table)."""


def creer_config_site(DsfrConfig) -> None:
    DsfrConfig.objects.update_or_create(
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
