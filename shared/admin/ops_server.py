"""gunicorn's settings for the ops API's Service (knative/base/services/admin-api.yaml runs
``gunicorn --config python:shared.admin.ops_server``).

functions-framework's CLI starts gunicorn with settings of its own and never reads
``GUNICORN_CMD_ARGS`` (its ``GunicornApplication`` loads only its options), so a header field
over gunicorn's default 8190 bytes got gunicorn's HTML 431 before the API could answer, and
a bearer token between 8 KB and the API's own limit could never reach its check. This runs
the same app the CLI would (``functions_framework.create_app()`` reads ``FUNCTION_TARGET``
and ``FUNCTION_SOURCE``) with the CLI's settings, and lets through twice the header fields
the API reads (``shared.admin.ops_errors``), so the API answers them, in JSON. Beyond that,
gunicorn still answers first; ``GUNICORN_CMD_ARGS`` still applies on top. The address is
gunicorn's default, ``0.0.0.0:$PORT``.
"""

from __future__ import annotations

import os

from shared.admin.ops_errors import MAX_HEADER_FIELD_BYTES, MAX_HEADER_FIELDS

wsgi_app = "functions_framework:create_app()"
workers = int(os.environ.get("WORKERS", "1"))
threads = int(os.environ.get("THREADS", str((os.cpu_count() or 1) * 4)))
timeout = 0  # as functions-framework without CLOUD_RUN_TIMEOUT_SECONDS: Knative times requests
loglevel = "error"
limit_request_line = 0  # as functions-framework: paths and queries are the API's to refuse
limit_request_field_size = 2 * MAX_HEADER_FIELD_BYTES
limit_request_fields = 2 * MAX_HEADER_FIELDS
