"""Domain actions (writes) as plain functions with keyword-only arguments.

Views, tasks, commands and tests call these; nothing else writes to the models.
"""
