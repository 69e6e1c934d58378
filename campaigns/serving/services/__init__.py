"""Serving's writes: plain functions with keyword-only arguments (see campaigns.services)."""
