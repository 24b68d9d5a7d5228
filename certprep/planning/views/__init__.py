"""The plan's pages: the plan with its generation and regeneration, a task's form, the working calendar."""
