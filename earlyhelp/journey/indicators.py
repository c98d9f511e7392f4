"""The default thresholds tool: indicators on the continuum of need, grouped as the assessment
triangle groups them. The Early Help Team tunes them in admin; this only ships a starting set.

Migration 0003 installs them; the test suite reinstalls them after a transactional test has
flushed the database (tests/conftest.py). Both call `install_default_indicators`."""

CHILD = "child_development"
PARENTING = "parenting_capacity"
FAMILY = "family_environment"

# (domain, label, weight, minimum level or None)
DEFAULT_INDICATORS = [
    (CHILD, "Not meeting developmental milestones", 2, None),
    (CHILD, "School attendance below 90%", 2, None),
    (CHILD, "Persistent absence from school (below 80%) or exclusion", 4, 3),
    (CHILD, "Emotional wellbeing or behaviour causing concern", 2, None),
    (CHILD, "Self-harm or mental health needs not met by universal services", 4, 3),
    (CHILD, "Young carer", 2, None),
    (CHILD, "Going missing from home or care", 5, 3),
    (CHILD, "At risk of sexual or criminal exploitation", 8, 4),
    (CHILD, "Disclosure or signs of abuse or neglect", 10, 4),
    (PARENTING, "Parent needs support with routines and boundaries", 1, None),
    (PARENTING, "Parental mental ill health affecting care of the children", 4, 3),
    (PARENTING, "Parental substance or alcohol misuse", 4, 3),
    (PARENTING, "Parental learning disability affecting care", 3, None),
    (PARENTING, "Basic care, safety or supervision not consistently met", 5, 3),
    (PARENTING, "Parent unable to keep the child safe from significant harm", 10, 4),
    (FAMILY, "Domestic abuse in the household", 5, 3),
    (FAMILY, "Housing problems, overcrowding or risk of homelessness", 2, None),
    (FAMILY, "Money worries, debt or no adult in work", 2, None),
    (FAMILY, "Crime or anti-social behaviour by a family member", 3, None),
    (FAMILY, "Family isolated from support networks", 1, None),
    (FAMILY, "Family relationships in conflict or breakdown", 2, None),
]


def install_default_indicators(indicator_model) -> None:
    """Add any default indicator that is missing, leaving ones the Early Help Team has tuned alone.
    Takes the model so that the migration can pass its historical one."""
    for position, (domain, label, weight, minimum_level) in enumerate(DEFAULT_INDICATORS):
        indicator_model.objects.get_or_create(
            label=label,
            defaults={"domain": domain, "weight": weight, "minimum_level": minimum_level, "position": position},
        )
