"""Clients for the REST API: a personal token per user, JSON in and out."""

from __future__ import annotations

import json

from campaigns.services.api_tokens import api_token_create


class ApiClient:
    def __init__(self, client, user):
        self.client = client
        self.token = api_token_create(user=user, name="tests")[1]

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers())

    def send(self, method, path, body=None):
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            **self._headers(),
        )

    def post(self, path, body=None):
        return self.send("post", path, body)
