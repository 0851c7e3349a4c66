import datetime
from zoneinfo import ZoneInfo

import tornado.locale

UPLOADED = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)
ZONES = ["UTC", "Asia/Shanghai", "America/New_York"]


def gmt_offset(date, zone):
    """The gmt_offset for format_date: minutes BEHIND UTC, so Beijing (UTC+8) is -480."""
    utc_offset = date.astimezone(ZoneInfo(zone)).utcoffset()
    return -int(utc_offset.total_seconds() // 60)


def main():
    locale = tornado.locale.get("en_US")
    print(f"The photo was uploaded at {UPLOADED:%Y-%m-%d %H:%M} UTC.")
    for zone in ZONES:
        offset = gmt_offset(UPLOADED, zone)
        shown = locale.format_date(UPLOADED, gmt_offset=offset, full_format=True)
        print(f"{zone:<17} gmt_offset={offset:<5} {shown}")


if __name__ == "__main__":
    main()
