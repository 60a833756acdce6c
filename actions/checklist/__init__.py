"""One generic mechanism that runs every checklist in knowledge/data/checklists."""
