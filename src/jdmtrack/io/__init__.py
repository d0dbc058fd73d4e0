"""Reading cohorts from files and writing derived tables.

``read_raw`` turns a folder of CSV files or one ``.xlsx`` workbook into raw tables
(cells as read, nothing converted but what the file format itself types);
``jdmtrack.validate`` turns raw tables into a typed ``Cohort``.
"""

from .raw import RawCohort, RawTable
from .read import read_raw

__all__ = ["RawCohort", "RawTable", "read_raw"]
