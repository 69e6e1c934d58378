"""The studio's REST API under /api/v1/ (django-ninja): the same roles, brand scoping,
forms and services as the browser UI, behind personal API tokens."""
