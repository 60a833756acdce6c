"""Rasa checks every action server response against its JSON schema with ``jsonschema.validate``,
which first checks the (large) events schema itself against the JSON Schema meta-schema, on every
call: about 35 ms per message on these machines, more than the action server takes. Here the
schema is checked once and its validator kept; each response is still validated in full, with
the same error and message as Rasa's own (``rasa/core/actions/action.py``,
``RemoteAction._validate_action_result``).

Runs inside the Rasa process: imported by channels/tracker_store.py, which Rasa loads from
bot/endpoints.yml at start-up.
"""
from __future__ import annotations

import functools
from typing import Any, Dict

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)  # what jsonschema.validate repeats for every response
    return kind(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(response_validator().iter_errors(result))  # as jsonschema.validate does
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response "
                      "from the Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
