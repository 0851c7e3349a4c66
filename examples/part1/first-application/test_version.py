def test_version_transcript(replay):
    # The installed Tornado prints the version the page shows.
    replay("version.console")
