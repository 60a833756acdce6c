"""Custom actions, one module per concern. rasa-sdk imports every module of this package."""
import logging
import threading


def _warm_up() -> None:
    """Build what the first message would otherwise wait for, while the action server starts:
    the protocol retriever (spaCy pipeline and index, ~2 s) and the personal-details guard."""
    from actions.retrieval import retriever
    from casestore import pii

    try:
        retriever()
        pii.screen("warm up")
    except Exception:  # reported again, to the practitioner, on first use
        logging.getLogger(__name__).exception("warming up the action server failed")


threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
