"""Search finds what readers type, in both languages, in Debian's Chromium.

Each query is a phrase as a reader types it (Chinese without spaces, numbers, API
names, everyday words the pages may not use); the page that answers it must be among
the first three results. Where two pages answer a query equally, either may be first. Everyday synonyms reach their section through the task page
(docs/how-do-i.md), which therefore is the expected page for some queries.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

QUERIES = {
    "en": {
        "read query parameter": "how-do-i",
        "get_argument": "part3/request-handlers",
        "json request body": "part3/request-handlers",
        "ajax": "how-do-i",
        "upload a file": "part3/request-handlers",
        "custom 404 page": "part3/request-handlers",
        "redirect to another url": "part3/redirects",
        "301 permanent redirect": "part3/redirects",
        "url parameters in routes": "part3/application-and-routing",
        "reverse_url": "part3/application-and-routing",
        "command line arguments": "part1/command-line-options",
        "install tornado": "part1/first-application",
        "hello world": "part1/first-application",
        "call another api without blocking": "how-do-i",
        "run requests in parallel": "part2/coroutines",
        "coroutine timeout": "part2/coroutines",
        "run blocking code in a thread": ("part2/coroutines", "part6/troubleshooting"),
        "websocket chat": "part3/websockets",
        "long polling": "part3/long-polling",
        "real-time push": "how-do-i",
        "stream a response with flush": "part3/asynchronous-handlers",
        "task queue workers": "part2/queues",
        "template inheritance": "part4/templates",
        "disable autoescape": "how-do-i",
        "ui module": "part4/ui-modules",
        "browser language": "part4/localization",
        "static files cache": "part5/static-files",
        "static_url": "part5/static-files",
        "login with a password": "part5/authentication",
        "hash passwords scrypt": "part5/authentication",
        "google login oauth": "part5/oauth2",
        "signed cookie": "part5/cookies",
        "csrf token": "part5/xsrf",
        "disable xsrf for an api": "how-do-i",
        "403": "part5/xsrf",
        "real client ip": "part6/nginx",
        "X-Real-IP": "part6/nginx",
        "nginx reverse proxy": "part6/nginx",
        "multiple cores": "how-do-i",
        "hot reload": "how-do-i",
        "too many open files": "part6/processes",
        "benchmark requests per second": "part6/performance",
        "unit test a handler": "part6/testing",
        "flask": "part6/wsgi",
        "gen.coroutine": "part8/old-idioms",
        "IOLoop.instance": "part8/old-idioms",
    },
    "zh_CN": {
        "读取查询参数": "part3/request-handlers",
        "get_argument": "part3/request-handlers",
        "JSON请求体": "part3/request-handlers",
        "AJAX": "how-do-i",
        "上传文件": "part3/request-handlers",
        "自定义404页面": "part3/request-handlers",
        "重定向": "part3/redirects",
        "301永久重定向": "part3/redirects",
        "路径参数": "part3/application-and-routing",
        "reverse_url": "part3/application-and-routing",
        "命令行参数": "part1/command-line-options",
        "安装Tornado": "part1/first-application",
        "调用其他服务不阻塞": ("part3/asynchronous-handlers", "part2/blocking-and-non-blocking"),
        "并行请求": "part2/coroutines",
        "协程超时": "part2/coroutines",
        "线程池运行阻塞代码": "part2/coroutines",
        "WebSocket聊天": "part3/websockets",
        "长轮询": "part3/long-polling",
        "实时推送": "how-do-i",
        "任务队列": "part2/queues",
        "模板继承": "part4/templates",
        "不转义": "part4/templates",
        "UI模块": "part4/ui-modules",
        "浏览器语言": "part4/localization",
        "静态文件缓存": "part5/static-files",
        "static_url": "part5/static-files",
        "密码登录": "part5/authentication",
        "密码哈希": "part5/authentication",
        "谷歌登录": "part5/oauth2",
        "签名cookie": "part5/cookies",
        "跨站请求伪造": "part5/xsrf",
        "关闭xsrf检查": "part5/xsrf",
        "403": "part5/xsrf",
        "真实IP": "part6/nginx",
        "X-Real-IP": "part6/nginx",
        "反向代理": "part6/nginx",
        "多核": "how-do-i",
        "多进程": "part6/processes",
        "热重载": "how-do-i",
        "打开文件过多": "part6/processes",
        "性能测试": "part6/performance",
        "AsyncHTTPTestCase": "part6/testing",
        "Flask": "part6/wsgi",
        "gen.coroutine": "part8/old-idioms",
        "事件循环": ("part1/what-is-tornado", "part2/blocking-and-non-blocking", "part2/coroutines"),
    },
}


def top_pages(page, site_url: str, language: str, query: str) -> list[str]:
    """The pages of the first three results, as docnames ("part6/nginx")."""
    page.goto(f"{site_url}/{language}/search.html?q={quote(query)}")
    page.wait_for_selector("html[data-search-done]", timeout=15_000)
    hrefs = page.eval_on_selector_all("#guide-search-results > li > a", "links => links.map(a => a.href)")
    prefix = f"/{language}/"
    return [urlsplit(href).path.removeprefix(prefix).removesuffix(".html") for href in hrefs[:3]]


@pytest.mark.parametrize("language", list(QUERIES))
def test_everyday_queries_find_their_page_in_the_top_three(browser, site_url, language):
    page = browser.new_page()
    misses = []
    for query, expected in QUERIES[language].items():
        found = top_pages(page, site_url, language, query)
        answers = expected if isinstance(expected, tuple) else (expected,)
        if not set(answers) & set(found):
            misses.append(f"{query!r}: expected {expected}, top three {found}")
    page.close()
    assert not misses, f"{len(misses)} of {len(QUERIES[language])} queries missed:\n" + "\n".join(misses)


@pytest.mark.parametrize("language", list(QUERIES))
def test_the_search_page_keeps_its_address_and_lists_links(browser, site_url, language):
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/{language}/search.html?q=cookie")
    page.wait_for_selector("html[data-search-done]", timeout=15_000)
    assert page.url.endswith("/search.html?q=cookie")
    assert page.input_value("#guide-search-query") == "cookie"
    links = page.eval_on_selector_all("#guide-search-results > li > a", "links => links.map(a => a.href)")
    assert len(links) >= 3 and all(link.startswith(f"{site_url}/{language}/") for link in links)
    assert all(url.startswith(site_url) for url in requests), "search reached outside the site"
    page.close()


def test_a_query_that_matches_nothing_says_so(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/zh_CN/search.html?q=qwertyuiopzxcv")
    page.wait_for_selector("html[data-search-done]", timeout=15_000)
    assert page.locator("#guide-search-results > li").count() == 0
    assert "qwertyuiopzxcv" in page.text_content("#guide-search-status")
    page.close()
