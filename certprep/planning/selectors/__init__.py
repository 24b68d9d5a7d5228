"""Reads of the implementation plan: the facts generation works from, the stored plan, and its schedule."""
