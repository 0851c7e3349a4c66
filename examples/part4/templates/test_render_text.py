def test_a_loader_without_autoescaping_writes_plain_text(run_example, replay):
    done = run_example("render_text.py", "--name=Tom & Jerry <tj@example.com>")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # No &amp; and no &lt;: the text is an e-mail, not HTML.
    assert lines[0] == "Hello Tom & Jerry <tj@example.com>,"
    assert lines[3:5] == ["  * Event Loops in Practice", "  * Sockets for Poets"]
    replay("render_text.console")
