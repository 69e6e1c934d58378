"""Serving's reads for the analytics page and its CSV."""
