"""The OpenAPI description's shared answers (a drf-spectacular post-processing hook).

Views document their own success answers and the errors particular to them (`errors(...)` in
tpm/api/viewsets.py: 409/428 of versioned edits, 403 of role checks). Some answers come from the
machinery every endpoint shares, so they are added here, from the shape of each operation, to any
operation that does not document them itself:

* 400: a body or a query string was sent and is invalid (the error shape names the field);
* 401: no or a bad credential (every endpoint but the public schema);
* 403: a write the caller's role does not allow, or a session write without its CSRF token;
* 404: an id in the path (or in the body) outside the caller's scope, or a page past the end;
* 429: throttled (`API_THROTTLE_*`);
* 409 and 428, and the `If-Match` header: a body with `version` is a versioned edit
  (`tpm.api.viewsets.requested_version`): a stale version is a 409, none at all a 428.

Write bodies are strict (tpm/api/serializers.py StrictInputMixin: an unknown key is a 400 naming
it), so their schemas say `additionalProperties: false`.

Also: DRF's TimeField writes wall-clock times ("09:10:00") without an offset, which OpenAPI's
`time` format (RFC 3339's full-time) does not allow, so those fields are described by a pattern.
"""

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}
_UNSAFE = {"post", "put", "patch", "delete"}
_METHODS = _UNSAFE | {"get"}

DESCRIPTIONS = {
    400: "The request is invalid; `errors` names the fields.",
    401: "No credential, or a wrong or expired one.",
    403: "Your role does not allow this.",
    404: "Not found, or not visible to you (also for ids in the body, and a page past the end).",
    429: "Too many requests; `Retry-After` says when to try again.",
    409: "Stale version; `current` holds the record as it is now.",
    428: "No version sent (If-Match header or `version` field).",
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "schema": {"type": "string"},
    "description": 'The version you edited, as the ETag you got (`"3"`) or bare (`3`); or send '
    "`version` in the body.",
}
# What DRF's TimeField accepts and writes: HH:MM, HH:MM:SS or HH:MM:SS.ffffff, no offset.
WALL_CLOCK_TIME = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"


def _body_schemas(result: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    schemas = result.get("components", {}).get("schemas", {})
    found = []
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        component = schemas.get(ref.rsplit("/", 1)[-1]) if ref else None
        if component is not None and component.get("type") == "object":
            found.append(component)
    return found


def _answers(method: str, operation: dict[str, Any], versioned: bool) -> set[int]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    has_query = any(p.get("in") == "query" for p in parameters)
    has_header = any(p.get("in") == "header" for p in parameters)
    in_path = any(p.get("in") == "path" for p in parameters)
    pages = any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
    codes = {401, 429}
    if has_body or has_query or has_header or method in _UNSAFE:
        codes.add(400)
    if method in _UNSAFE:
        codes.add(403)
    if in_path or pages or has_body:
        codes.add(404)
    if versioned:
        codes |= {409, 428}
    return codes


def _wall_clock_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.setdefault("pattern", WALL_CLOCK_TIME)
        for value in node.values():
            _wall_clock_times(value)
    elif isinstance(node, list):
        for value in node:
            _wall_clock_times(value)


def document_shared_answers(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: add the shared answers (never replacing a
    view's own), close write bodies and describe wall-clock times as they are written."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            bodies = _body_schemas(result, operation)
            for body in bodies:
                body.setdefault("additionalProperties", False)
            versioned = any("version" in body.get("properties", {}) for body in bodies)
            parameters = operation.get("parameters", [])
            if versioned and not any(p.get("name") == "If-Match" for p in parameters):
                operation["parameters"] = [dict(IF_MATCH), *parameters]
            responses = operation.setdefault("responses", {})
            for code in sorted(_answers(method, operation, versioned)):
                responses.setdefault(
                    str(code),
                    {
                        "content": {"application/json": {"schema": _ERROR}},
                        "description": DESCRIPTIONS[code],
                    },
                )
    _wall_clock_times(result.get("components", {}))
    return result
