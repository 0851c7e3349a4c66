import json

from tornado.testing import AsyncHTTPTestCase, gen_test

from examples.part6.testing.greeting import make_app


class GreetingTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app()

    def test_greets_by_name(self):
        response = self.fetch("/greet?name=Ada")
        assert response.code == 200
        assert json.loads(response.body) == {"greeting": "Hello, Ada!"}

    def test_missing_name_is_a_client_error(self):
        response = self.fetch("/greet")
        assert response.code == 400

    @gen_test
    async def test_with_the_async_client(self):
        response = await self.http_client.fetch(self.get_url("/greet?name=Grace"))
        assert json.loads(response.body)["greeting"] == "Hello, Grace!"

    def test_log_record_of_the_request(self):
        # Server and test share one process, so the test can catch log records.
        with self.assertLogs("tornado.access", level="INFO") as logs:
            self.fetch("/greet?name=Ada")
        assert "200 GET /greet?name=Ada" in logs.output[0]
