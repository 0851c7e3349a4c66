import tornado


def test_version_transcript(run_example, replay):
    done = run_example("version.py")
    assert done.stdout == f"{tornado.version}\n"
    # The installed Tornado prints the version the page shows.
    replay("version.console")
