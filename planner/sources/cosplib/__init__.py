"""CoSPLib, the benchmark library of real conferences in an Excel template (github.com/ahmedkheiri/CoSPLib, MIT
licence), as a source: `planner import cosplib FILE.xlsx --out DIR`. workbook.py reads the sheets into plain records;
folder.py maps them to a conference folder."""

from planner.sources.cosplib.folder import Imported, folder_files, import_cosplib, time_zone
from planner.sources.cosplib.workbook import CosplibWorkbook, Period, Submission, Track, read_workbook

__all__ = [
    "CosplibWorkbook",
    "Imported",
    "Period",
    "Submission",
    "Track",
    "folder_files",
    "import_cosplib",
    "read_workbook",
    "time_zone",
]
