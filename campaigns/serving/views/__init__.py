"""The serving API (an ad client's placement key, no session) and the analytics pages."""
