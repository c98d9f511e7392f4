"""The default taxonomy: the needs early help works with (2014 §5.1 and §6.1; 2021 Principle 4).

Its ids are derived from fixed names, so every installation shares them and a feed that uses them
means the same needs. Migration 0002 installs it; other taxonomies (the LGA/esd service and needs
lists) can be imported beside it.
"""

import uuid

from django.utils.text import slugify

DIRECTORY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:early-help-system:directory")
NEEDS_TAXONOMY_ID = uuid.uuid5(DIRECTORY_NAMESPACE, "taxonomy/early-help-needs")
NEEDS_TAXONOMY_NAME = "Early help needs"
NEEDS_TAXONOMY_DESCRIPTION = (
    "The needs a family's early help plan works on, used to find services that help with each. "
    "Shipped with the Early Help System."
)
NEEDS_TAXONOMY_VERSION = "1.0"
# What an attribute linking a service to a need says it describes (ORUK's open link_type codelist).
NEED_LINK_TYPE = "need"

# (slug, name, what a family would recognise in it)
NEEDS: list[tuple[str, str, str]] = [
    ("parenting", "Parenting", "Support with being a parent: routines, behaviour, and confidence."),
    ("early-years", "Early years", "Babies and young children up to five: play, development, and childcare."),
    ("school-attendance", "School attendance", "Help when a child is missing school or finds it hard to go."),
    (
        "special-educational-needs-and-disability",
        "Special educational needs and disability",
        "Help for children with special educational needs or a disability (SEND) and their families.",
    ),
    (
        "emotional-and-mental-health",
        "Emotional and mental health",
        "Support with worry, low mood, stress and wellbeing, for children and adults.",
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "Safety and support if someone at home hurts, controls or frightens you.",
    ),
    ("substance-misuse", "Substance misuse", "Help with drinking or drug use, for the person and their family."),
    (
        "anti-social-behaviour-and-youth-crime",
        "Anti-social behaviour and youth crime",
        "Activities and support for young people at risk of getting into trouble.",
    ),
    ("employment-and-skills", "Employment and skills", "Finding work, training and learning new skills."),
    ("money-and-debt", "Money and debt", "Advice on benefits, debt, budgeting, food and fuel costs."),
    ("housing", "Housing", "Help with a home: tenancy problems, homelessness, repairs and moving."),
    (
        "family-relationships",
        "Family relationships",
        "Support when family members argue, separate, or find it hard to get on.",
    ),
]


def need_term_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(DIRECTORY_NAMESPACE, f"taxonomy/early-help-needs/{slug}")


def install_needs(taxonomy_model, term_model) -> None:
    """Create or refresh the needs taxonomy and its terms. Takes the models so that migration 0002
    can pass its historical ones; everything else calls services.needs_taxonomy_install."""
    taxonomy, _ = taxonomy_model.objects.update_or_create(
        id=NEEDS_TAXONOMY_ID,
        defaults={
            "name": NEEDS_TAXONOMY_NAME,
            "description": NEEDS_TAXONOMY_DESCRIPTION,
            "version": NEEDS_TAXONOMY_VERSION,
        },
    )
    for slug, name, description in NEEDS:
        term_model.objects.update_or_create(
            id=need_term_id(slug),
            defaults={"taxonomy": taxonomy, "name": name, "description": description, "slug": slugify(name)},
        )
