# English dates as the site has always printed them, day first: "1 December
# 2026" (Django's own English format is the American "Dec. 1, 2026"). Other
# languages use Django's formats for their locale.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
