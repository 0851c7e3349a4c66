import re
import secrets
from http.cookies import SimpleCookie

import pytest
from playwright.sync_api import expect

COOKIE = "__Host-xsrf"


@pytest.fixture
def api_token(monkeypatch):
    token = secrets.token_hex(32)
    monkeypatch.setenv("NOTES_API_TOKEN", token)
    return token


@pytest.fixture
def server(start_example, api_token):
    return start_example("notes.py")


def open_page(server, cookie=None):
    """What a browser gets with the page: the XSRF cookie and the token in the form."""
    response = server.get("/", headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    assert response.status == 200
    if cookie is None:
        cookie = SimpleCookie(response.headers["Set-Cookie"])[COOKIE].value
    else:
        assert "Set-Cookie" not in response.headers  # the cookie stays; only the form's copy changes
    form_token = re.search(r'<input type="hidden" name="_xsrf" value="([^"]+)"/>', response.text).group(1)
    return cookie, form_token


def test_the_cookie_is_a_host_cookie_with_secure_and_path(server):
    morsel = SimpleCookie(server.get("/").headers["Set-Cookie"])[COOKIE]
    # Browsers accept a __Host- cookie only with Secure, Path=/ and no Domain.
    assert morsel["secure"] is True and morsel["path"] == "/" and not morsel["domain"]
    assert morsel["samesite"] == "Lax" and not morsel["httponly"]


def test_a_form_post_needs_the_token_from_xsrf_form_html(server, replay):
    cookie, _ = open_page(server)
    # The second page: the token in the form is masked anew, but it stands for the same secret.
    _, form_token = open_page(server, cookie)
    assert form_token != cookie
    with_cookie = {"Cookie": f"{COOKIE}={cookie}"}
    assert server.post("/notes", form={"text": "forged"}, headers=with_cookie).status == 403
    assert server.post("/notes", form={"text": "forged", "_xsrf": form_token}).status == 403
    response = server.post("/notes", form={"text": "Buy milk", "_xsrf": form_token}, headers=with_cookie)
    assert response.status == 303 and response.headers["Location"] == "/"
    page = server.get("/", headers=with_cookie).text
    assert "Buy milk" in page and "forged" not in page
    assert "'_xsrf' argument missing from POST" in server.output()
    # The token is read with get_argument, so the query string works too.
    assert server.post(f"/notes?_xsrf={form_token}", form={"text": "q"}, headers=with_cookie).status == 303
    replay("notes-forged.console", server)


def test_a_planted_xsrf_cookie_does_not_pass(server):
    # Cookie tossing: a sibling subdomain sets "_xsrf" for the whole domain and
    # posts the same value. The check reads only __Host-xsrf, which it cannot set...
    planted = {"Cookie": "_xsrf=2|00000000|00000000000000000000000000000000|1700000000"}
    form = {"text": "tossed", "_xsrf": "2|00000000|00000000000000000000000000000000|1700000000"}
    assert server.post("/notes", form=form, headers=planted).status == 403
    # ...and a browser marks the sibling's request same-site, which cross_origin_protection refuses.
    cookie, token = open_page(server)
    headers = {"Cookie": f"{COOKIE}={cookie}", "Sec-Fetch-Site": "same-site", "Origin": "https://evil.example.com"}
    assert server.post("/notes", form={"text": "tossed", "_xsrf": token}, headers=headers).status == 403
    assert "tossed" not in server.get("/").text


def test_ajax_post_put_and_delete_send_the_header(server):
    cookie, _ = open_page(server)
    ajax = {"Cookie": f"{COOKIE}={cookie}", "X-XSRFToken": cookie}
    assert server.post("/notes", form={"text": "first"}, headers=ajax).status == 303
    cookie_only = {"Cookie": f"{COOKIE}={cookie}"}
    assert server.request("PUT", "/notes/1", form={"text": "changed"}, headers=cookie_only).status == 403
    response = server.request("PUT", "/notes/1", form={"text": "changed"}, headers=ajax)
    assert response.status == 200 and response.json() == {"id": 1, "text": "changed"}
    assert server.request("DELETE", "/notes/1", headers=cookie_only).status == 403
    assert server.request("DELETE", "/notes/1", headers=ajax).status == 204
    assert server.request("DELETE", "/notes/1", headers=ajax).status == 404
    assert "changed" not in server.get("/").text
    # A token that does not match the cookie is refused like a missing one.
    _, other_token = open_page(server)
    assert server.post("/notes", form={"text": "x"}, headers={**cookie_only, "X-XSRFToken": other_token}).status == 403


@pytest.mark.parametrize("path", ["/notes/1234567890", "/notes/" + "9" * 5000, "/notes/%D9%A3", "/static/%00"])
def test_hostile_paths_get_a_4xx(server, path):
    assert server.get(path).status in (400, 404), path


def test_the_bearer_token_api_skips_the_xsrf_check_only_with_a_valid_token(server, api_token):
    response = server.post(
        "/api/notes", form={"text": "from a script"}, headers={"Authorization": f"Bearer {api_token}"}
    )
    assert response.status == 201 and response.json() == {"id": 1, "text": "from a script"}
    # A wrong token or none: the request is treated as a browser's, and has no XSRF token.
    assert server.post("/api/notes", form={"text": "x"}, headers={"Authorization": "Bearer wrong"}).status == 403
    assert server.post("/api/notes", form={"text": "x"}).status == 403
    # Cookies and an XSRF token are no login for the API: 401.
    cookie, _ = open_page(server)
    response = server.post(
        "/api/notes", form={"text": "x"}, headers={"Cookie": f"{COOKIE}={cookie}", "X-XSRFToken": cookie}
    )
    assert response.status == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert "from a script" in server.get("/").text


def test_a_page_on_another_origin_may_call_the_api_with_a_valid_token(server, api_token):
    cross = {"Sec-Fetch-Site": "cross-site", "Origin": "https://dashboard.example"}
    response = server.post("/api/notes", form={"text": "from elsewhere"},
                           headers={**cross, "Authorization": f"Bearer {api_token}"})  # fmt: skip
    assert response.status == 201
    # check_trusted_origin verifies the token: a made-up one does not open the door.
    assert (
        server.post("/api/notes", form={"text": "x"}, headers={**cross, "Authorization": "Bearer made-up"}).status
        == 403
    )


def test_cross_origin_protection_refuses_a_cross_site_post(server):
    cookie, form_token = open_page(server)
    headers = {"Cookie": f"{COOKIE}={cookie}", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    assert server.post("/notes", form={"text": "x", "_xsrf": form_token}, headers=headers).status == 403
    headers["Sec-Fetch-Site"] = "same-origin"
    assert server.post("/notes", form={"text": "y", "_xsrf": form_token}, headers=headers).status == 303


def test_the_page_works_in_a_real_browser(server, browser):
    context = browser.new_context()
    errors = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url + "/")
        # The form: xsrf_form_html put the token in it.
        page.fill("input[name=text]", "Written in a browser")
        page.click("button[type=submit]")
        item = page.locator("li", has_text="Written in a browser")
        expect(item).to_have_count(1)
        # The script: fetch() sends DELETE with the X-XSRFToken header read from the cookie.
        with page.expect_response(lambda response: response.request.method == "DELETE") as deleted:
            item.locator("button.delete").click()
        assert deleted.value.status == 204
        expect(item).to_have_count(0)
        # The same fetch without the header is refused.
        status = page.evaluate("fetch('/notes', {method: 'POST', body: new URLSearchParams({text: 'x'})})"
                               ".then(response => response.status)")  # fmt: skip
        assert status == 403
    finally:
        context.close()
    assert errors == []
    assert "Written in a browser" not in server.get("/").text
