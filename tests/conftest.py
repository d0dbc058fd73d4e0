"""Suite-wide settings.

Hypothesis runs derandomised (the same examples on every run and machine) and without a
per-example deadline: CI shares two cores, so a slow example is not a failure; a wrong
one is.
"""

from hypothesis import settings

settings.register_profile("jdmtrack", deadline=None, derandomize=True)
settings.load_profile("jdmtrack")
