"""Induction for new staff: a guided tour of the protocol and a quiz generated from knowledge/."""
