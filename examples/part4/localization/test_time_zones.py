import datetime

import tornado.locale


def test_gmt_offset_counts_minutes_behind_utc(run_example, replay):
    done = run_example("time_zones.py")
    assert done.returncode == 0, done.stderr
    # Beijing is UTC+8, and its gmt_offset is -480: 23:30 UTC is 7:30 the next morning.
    assert "Asia/Shanghai     gmt_offset=-480  January 16, 2026 at 7:30 am" in done.stdout
    replay("time_zones.console")


def test_the_usual_sign_would_move_the_clock_the_wrong_way():
    uploaded = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)
    locale = tornado.locale.get("en_US")
    assert locale.format_date(uploaded, gmt_offset=+480, full_format=True) == "January 15, 2026 at 3:30 pm"
    assert locale.format_date(uploaded, gmt_offset=-480, full_format=True) == "January 16, 2026 at 7:30 am"


def test_javascript_gives_the_same_sign(browser):
    # Date.getTimezoneOffset() in a browser set to Beijing time: the value format_date wants.
    context = browser.new_context(timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        assert page.evaluate("new Date(Date.UTC(2026, 0, 15, 23, 30)).getTimezoneOffset()") == -480
    finally:
        context.close()


def test_relative_dates_say_ago_only_within_a_day():
    locale = tornado.locale.get("en_US")
    now = datetime.datetime.now(datetime.UTC)
    assert locale.format_date(now - datetime.timedelta(minutes=3)) == "3 minutes ago"
    assert locale.format_date(now - datetime.timedelta(hours=5)) == "5 hours ago"
    # From one day on, a weekday, then a month and day, then the full date.
    three_days = now - datetime.timedelta(days=3)
    assert locale.format_date(three_days, shorter=True) == three_days.strftime("%A")
    ten_days = now - datetime.timedelta(days=10)
    assert locale.format_date(ten_days, shorter=True) == f"{ten_days:%B} {ten_days.day}"
    two_years = now - datetime.timedelta(days=730)
    assert locale.format_date(two_years, shorter=True) == f"{two_years:%B} {two_years.day}, {two_years.year}"
