import secrets

from tools.browser import record_problems

PASSWORD = f"{secrets.token_urlsafe(9)} with spaces"


def test_a_browser_signs_in_writes_and_sees_the_entry(tmp_path, monkeypatch, run_example, start_example, browser):
    db_path = tmp_path / "blog.sqlite3"
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    assert run_example("../authors/blog.py", f"--db={db_path}", "--create-author=alice").returncode == 0
    server = start_example("../authors/blog.py", f"--db={db_path}", env={"COOKIE_SECRET": secrets.token_hex(32)})
    home = server.url + "/"  # http://127.0.0.1:<port>/: the Secure cookies work here too

    page = browser.new_page()
    try:
        page.set_default_timeout(10_000)
        problems = record_problems(page)
        page.goto(home)
        page.click("text=Sign in")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.click("text=Write")
        page.fill("input[name=title]", "From the browser")
        page.fill("textarea[name=body]", "Typed <by> a real browser.\n\nTwo paragraphs.")
        page.click("button:has-text('Publish')")
        assert page.locator("h1").inner_text() == "From the browser"
        page.goto(home)
        entry = page.locator("article.entry").first
        assert entry.locator("h2").inner_text() == "From the browser"
        assert entry.locator("p").nth(1).inner_text() == "Typed <by> a real browser."
        assert page.locator("header").evaluate("e => getComputedStyle(e).display") == "flex"
        assert problems == []
        # http://localhost is a secure origin for Chromium too: the Secure cookie works there.
        page.context.clear_cookies()
        page.goto(f"http://localhost:{server.port}/login")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Sign in')")
        assert page.locator("header button").inner_text() == "Sign out alice"
    finally:
        page.close()
