"""Writes on the implementation plan: generating and regenerating it, editing tasks and the calendar."""
