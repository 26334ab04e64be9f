"""Korean date/time formats: one way to write a moment everywhere staff and visitors read it.

Django's stock Korean formats write "2026년 12월 2일 2:41 오전"; the public pages write times on
a 24-hour clock ("14:00"). Every datetime now reads "2026년 12월 2일 14:41" (templates and code
ask for DATETIME_FORMAT by name instead of spelling a format out), dates "2026년 12월 2일".
"""

DATETIME_FORMAT = "Y년 n월 j일 H:i"
TIME_FORMAT = "H:i"
