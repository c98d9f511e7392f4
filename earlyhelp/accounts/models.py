"""The partnership: agencies, their teams, localities, and the people who use the system."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class AgencyKind(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary, community and faith"
    SOCIAL_CARE = "social_care", "Children's social care"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    COORDINATOR = "coordinator", "Early Help Team coordinator"
    MANAGER = "manager", "Team manager"
    SOCIAL_CARE = "social_care", "MASH / social care worker"
    ANALYST = "analyst", "Analyst"
    DPO = "dpo", "Data protection officer"
    ADMIN = "admin", "System administrator"
    # Someone at a provider who keeps their organisation's directory listings and works with no family
    # here (their listings follow from `DirectoryEditor`, which any role may hold).
    PROVIDER_EDITOR = "provider_editor", "Provider's directory editor"


class Locality(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="teams")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_known")]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def contact_line(self) -> str:
        """How a colleague reaches this person: name, job, agency, phone or email."""
        parts = [self.display_name]
        if self.job_title:
            parts.append(self.job_title)
        if self.agency is not None:
            parts.append(self.agency.name)
        reach = self.phone or self.email
        if reach:
            parts.append(reach)
        return ", ".join(parts)
