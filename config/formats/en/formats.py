# Django shows a datetime the admin displays by itself (list columns, read-only fields) in the
# operator's zone; these formats end with that zone's abbreviation (T: "CET", "CEST"), so no time a
# person reads lacks its zone. Pages and mails of our own use articles/templatetags/moments.py.
DATETIME_FORMAT = "N j, Y, H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
