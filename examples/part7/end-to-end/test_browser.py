import secrets

from playwright.sync_api import sync_playwright

from tools.browser import launch, record_problems

PASSWORD = secrets.token_urlsafe(12)


def test_a_browser_signs_in_writes_and_sees_the_entry(tmp_path, monkeypatch, run_example, start_example):
    db_path = tmp_path / "blog.sqlite3"
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    assert run_example("blog.py", f"--db={db_path}", "--create-author=alice").returncode == 0
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    server = start_example("blog.py", f"--db={db_path}")
    home = f"http://localhost:{server.port}/"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
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
        finally:
            browser.close()
