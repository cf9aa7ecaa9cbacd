"""Conversations: follow-ups read against what was said, answered through the same pipeline."""
