"""Schemathesis's own generation against a running service, operation by operation (the
document's examples, then requests fitting it, then requests violating it), every answer checked
by Schemathesis's checks: no server error, and a status code, content type and body the document
declares for the operation. Generated once per service and token for both test modules."""

from __future__ import annotations

import collections
import contextlib
import re
from dataclasses import dataclass

import hypothesis
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from tests.e2e.fuzz_stack import SETTINGS, TIMEOUT, Stack, operations, real_path_parameters
from tests.support import ROOT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = ("examples", "positive", "negative")


@dataclass
class ServerError:
    """A failed check: a server error (`check` is ServerError), or an answer the document does not
    declare (UndefinedStatusCode, UndefinedContentType, JsonSchemaError …: `message` says how)."""

    service: str
    who: str
    phase: str
    operation: str
    status: int
    reproducer: str
    request_id: str
    check: str = "ServerError"
    message: str = ""


def findings(stack: Stack, service: str, who: str) -> list[ServerError]:
    """Every failed check of the three phases for (service, token), generated once and kept."""
    key = f"{service}/{who}"
    if key not in stack.findings:
        stack.findings[key] = [f for mode in MODES for f in generated(stack, service, who, mode)]
    return stack.findings[key]  # type: ignore[no-any-return]


def generated(stack: Stack, service: str, who: str, mode: str) -> list[ServerError]:
    """Schemathesis's own generation (or the document's examples), each answer run through CHECKS."""
    found: list[ServerError] = []
    headers = {"Authorization": f"Bearer {stack.tokens[who]}"}
    with requests.Session() as session:
        for operation in operations(stack, service):
            real = real_path_parameters(stack, operation)
            if mode == "examples":
                strategies = operation.get_strategies_from_examples()
                if not strategies:
                    continue
                strategy = st.one_of(strategies)
            else:
                generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
                strategy = operation.as_strategy(generation_mode=generation)
                if real:  # half of them on the seeded records
                    on_records = operation.as_strategy(generation_mode=generation, path_parameters=real)
                    strategy = st.one_of(on_records, strategy)
            for case, response, failures in _cases(
                strategy, session, headers, stack.sent, f"{service}/{who}"
            ):
                request_id = (response.headers.get("x-request-id") or [""])[0]
                curl = _redact(case.as_curl_command(headers=headers))
                for failure in failures:
                    found.append(
                        ServerError(
                            service,
                            who,
                            mode,
                            operation.label,
                            response.status_code,
                            curl,
                            request_id,
                            type(failure).__name__,
                            _words(failure),
                        )
                    )
    return found


def _cases(
    strategy: st.SearchStrategy[schemathesis.Case],
    session: requests.Session,
    headers: dict[str, str],
    sent: collections.Counter[str],
    key: str,
) -> list[tuple[schemathesis.Case, schemathesis.Response, list[Exception]]]:
    """Each generated case sent once; those whose answer fails a check, with the failures (no
    shrinking: the run goes on, so every failing case is listed)."""
    failed: list[tuple[schemathesis.Case, schemathesis.Response, list[Exception]]] = []

    @SETTINGS
    @hypothesis.given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = case.call(session=session, headers=headers, timeout=TIMEOUT)
        sent[key] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            failed.append((case, response, list(group.exceptions)))
        except AssertionError as failure:  # a single failed check
            failed.append((case, response, [failure]))

    # Unsatisfiable: nothing to negate (an operation without parameters or body).
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()
    return failed


def _words(failure: Exception) -> str:
    title = getattr(failure, "title", type(failure).__name__)
    return f"{title}: {getattr(failure, 'message', failure)}"[:600]


def _redact(curl: str) -> str:
    return re.sub(r"Bearer [A-Za-z0-9._-]+", "Bearer $TOKEN", curl)


def cause(stack: Stack, error: ServerError) -> str:
    """The service's log of the exception behind a 500: its type and innermost frames."""
    with contextlib.suppress(OSError):
        lines = stack.services[error.service].log.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if error.request_id and error.request_id in line and "unhandled" in line:
                frames = []
                for frame in lines[i + 1 :]:
                    if not frame.startswith(" "):
                        break
                    frames.append(frame.strip())
                kind = line.split("unhandled ", 1)[1].split(" on ", 1)[0]
                own = [
                    f
                    for f in frames
                    if f.startswith("File")
                    and "site-packages" not in f
                    and "/lib/python3" not in f
                    and ".pyx" not in f
                ]
                where = own[-1] if own else (frames[-2] if len(frames) > 1 else "")
                return f"{kind} at {where.replace(str(ROOT) + '/', '')}"
    return "(no log line for this request)"


def report(stack: Stack, errors: list[ServerError], what: str = "server errors") -> str:
    """One entry per operation and cause, with the first reproducer and every variant."""
    grouped: dict[tuple[str, str], list[ServerError]] = {}
    for error in errors:
        why = cause(stack, error) if error.check == "ServerError" else error.message
        grouped.setdefault((error.operation, why), []).append(error)
    lines = [f"{len(grouped)} distinct {what} ({len(errors)} failing requests):"]
    for (operation, why), group in grouped.items():
        first = group[0]
        variants = sorted({f"{e.who}/{e.phase}" for e in group})
        lines += [
            f"- {first.service} {operation} -> {first.status} ({', '.join(variants)})",
            f"    {first.reproducer}",
            f"    {'cause' if first.check == 'ServerError' else first.check}: {why}",
        ]
    return "\n".join(lines)
