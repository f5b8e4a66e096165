"""The roles a staff member can hold: a fact about the staff member, kept on their row.

What each role may do is ``ipsworks.access.roles`` (its permissions), which re-exports
:class:`Role` so the rest of the code keeps one import for both.
"""

from django.db import models


class Role(models.TextChoices):
    EMPLOYMENT_SPECIALIST = "es", "Employment specialist"
    MANAGER = "manager", "Team leader or service manager"
    CLINICIAN = "clinician", "Clinician or care coordinator"
    COMMISSIONER = "commissioner", "Commissioner"
    FIDELITY_REVIEWER = "fidelity_reviewer", "Fidelity reviewer"
    ADMINISTRATOR = "admin", "Service administrator"
