"""Two writers with separate engines and sessions, 200 entries each, on the same case."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from casestore.db import make_engine, make_session_factory
from casestore.models import Entry, Practitioner
from casestore.service import CaseService

WRITERS = 2
ENTRIES_PER_WRITER = 200


def test_two_concurrent_writers_lose_nothing(db_url: str, people, case_ref: str, session) -> None:
    usernames = ["alice", "mandy"]
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(username: str) -> None:
        engine = make_engine(db_url)
        try:
            with make_session_factory(engine)() as own_session:
                actor = own_session.scalars(
                    select(Practitioner).where(Practitioner.username == username)
                ).one()
                service = CaseService(own_session, actor, "web")
                start.wait()
                for n in range(ENTRIES_PER_WRITER):
                    service.record_answer(case_ref, "stress", f"{username}-{n}", f"value {n}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(u,)) for u in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    stored = session.scalar(select(func.count()).select_from(Entry))
    assert stored == WRITERS * ENTRIES_PER_WRITER
    items = set(session.scalars(select(Entry.item_id)))
    assert items == {f"{u}-{n}" for u in usernames for n in range(ENTRIES_PER_WRITER)}
