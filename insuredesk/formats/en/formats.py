"""Date formats for English pages: day-month-year, unambiguous for every reader."""

DATE_FORMAT = "j M Y"  # 8 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
