import http.client
import json
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect, sync_playwright

from tools.browser import launch


@pytest.fixture
def api_token(monkeypatch):
    token = secrets.token_hex(32)
    monkeypatch.setenv("NOTES_API_TOKEN", token)
    return token


@pytest.fixture
def server(start_example, api_token):
    return start_example("notes.py")


def request(server, method, path, fields=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    body = urlencode(fields) if fields is not None else None
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, response.headers, response.read().decode("utf-8")
    connection.close()
    return result


def open_page(server, cookie=None):
    """What a browser gets with the page: the _xsrf cookie and the token in the form."""
    status, headers, page = request(server, "GET", "/", headers={"Cookie": f"_xsrf={cookie}"} if cookie else {})
    assert status == 200
    if cookie is None:
        cookie = SimpleCookie(headers["Set-Cookie"])["_xsrf"].value
    else:
        assert "Set-Cookie" not in headers  # the cookie stays; only the form's copy changes
    form_token = re.search(r'<input type="hidden" name="_xsrf" value="([^"]+)"/>', page).group(1)
    return cookie, form_token


def test_a_form_post_needs_the_token_from_xsrf_form_html(server, replay):
    cookie, _ = open_page(server)
    # The second page: the token in the form is masked anew, but it stands for the same secret.
    _, form_token = open_page(server, cookie)
    assert form_token != cookie
    with_cookie = {"Cookie": f"_xsrf={cookie}"}
    assert request(server, "POST", "/notes", {"text": "forged"}, with_cookie)[0] == 403
    assert request(server, "POST", "/notes", {"text": "forged", "_xsrf": form_token})[0] == 403
    status, headers, _ = request(server, "POST", "/notes", {"text": "Buy milk", "_xsrf": form_token}, with_cookie)
    assert status == 303 and headers["Location"] == "/"
    page = request(server, "GET", "/", headers=with_cookie)[2]
    assert "Buy milk" in page and "forged" not in page
    assert "'_xsrf' argument missing from POST" in server.output()
    replay("notes-forged.console", server)


def test_ajax_post_put_and_delete_send_the_header(server):
    cookie, _ = open_page(server)
    ajax = {"Cookie": f"_xsrf={cookie}", "X-XSRFToken": cookie}
    status, _, _ = request(server, "POST", "/notes", {"text": "first"}, ajax)
    assert status == 303
    cookie_only = {"Cookie": f"_xsrf={cookie}"}
    assert request(server, "PUT", "/notes/1", {"text": "changed"}, cookie_only)[0] == 403
    status, _, body = request(server, "PUT", "/notes/1", {"text": "changed"}, ajax)
    assert status == 200 and json.loads(body) == {"id": 1, "text": "changed"}
    assert request(server, "DELETE", "/notes/1", headers=cookie_only)[0] == 403
    assert request(server, "DELETE", "/notes/1", headers=ajax)[0] == 204
    assert request(server, "DELETE", "/notes/1", headers=ajax)[0] == 404
    assert "changed" not in request(server, "GET", "/")[2]
    # A token that does not match the cookie is refused like a missing one.
    _, other_token = open_page(server)
    assert request(server, "POST", "/notes", {"text": "x"}, {**cookie_only, "X-XSRFToken": other_token})[0] == 403


def test_the_bearer_token_api_skips_the_xsrf_check_only_with_a_valid_token(server, api_token):
    status, _, body = request(server, "POST", "/api/notes", {"text": "from a script"},
                              {"Authorization": f"Bearer {api_token}"})  # fmt: skip
    assert status == 201 and json.loads(body) == {"id": 1, "text": "from a script"}
    # A wrong token or none: the request is treated as a browser's, and has no XSRF token.
    assert request(server, "POST", "/api/notes", {"text": "x"}, {"Authorization": "Bearer wrong"})[0] == 403
    assert request(server, "POST", "/api/notes", {"text": "x"})[0] == 403
    # Cookies and an XSRF token are no login for the API: 401.
    cookie, _ = open_page(server)
    status, headers, _ = request(server, "POST", "/api/notes", {"text": "x"},
                                 {"Cookie": f"_xsrf={cookie}", "X-XSRFToken": cookie})  # fmt: skip
    assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
    assert "from a script" in request(server, "GET", "/")[2]


def test_cross_origin_protection_refuses_a_cross_site_post(server):
    cookie, form_token = open_page(server)
    headers = {"Cookie": f"_xsrf={cookie}", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    assert request(server, "POST", "/notes", {"text": "x", "_xsrf": form_token}, headers)[0] == 403
    headers["Sec-Fetch-Site"] = "same-origin"
    assert request(server, "POST", "/notes", {"text": "y", "_xsrf": form_token}, headers)[0] == 303


def test_the_page_works_in_a_real_browser(server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        errors = []
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
        browser.close()
    assert errors == []
    assert "Written in a browser" not in request(server, "GET", "/")[2]
