"""Controllers: one module per resource, plain functions per action."""
