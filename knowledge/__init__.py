"""The protocol's citation units and the data that cites them: `knowledge.load()`."""
from knowledge.loader import load, reload
from knowledge.model import (AnswerKind, Caution, Checklist, Condition, FlagRule, GlossaryTerm, Item,
                             KnowledgeBase, KnowledgeError, Loss, Process, ProtocolMeta, Step,
                             Timescale, Unit)
from knowledge.units import normalise

__all__ = ["load", "reload", "normalise", "KnowledgeBase", "KnowledgeError", "ProtocolMeta",
           "Unit", "Checklist", "Item", "AnswerKind", "FlagRule", "Condition", "GlossaryTerm",
           "Timescale", "Process", "Step", "Loss", "Caution"]
