import tornado


def test_version_transcript(run_example, replay):
    done = run_example("version.py")
    assert done.stdout == f"{tornado.version}\n"
    # The installed Tornado prints the version the page shows.
    replay("version.console")


def test_tornado_6_6_needs_python_3_11():
    from importlib.metadata import metadata

    assert metadata("tornado")["Requires-Python"].replace(" ", "") == ">=3.11"


def test_tornado_has_no_required_dependencies():
    from importlib.metadata import requires

    assert not requires("tornado")
