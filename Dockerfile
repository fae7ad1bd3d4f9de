# syntax=docker/dockerfile:1
# One image for every function: FUNCTION_TARGET and FUNCTION_SOURCE (set by each Knative
# Service) pick the function, e.g. FUNCTION_TARGET=slash FUNCTION_SOURCE=functions/slash/main.py.
# Dependencies come from uv.lock, the lock file the tests run against.
#   docker build -t coffeebuddy:dev .
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS builder
# uv from PyPI, as scripts/bootstrap installs it.
RUN pip install --no-cache-dir --disable-pip-version-check "uv>=0.5,<1"
ENV UV_PYTHON=/usr/local/bin/python3.12 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
# Third-party packages only: the project's own code is copied as source below and found
# through PYTHONPATH, so the image holds one copy of it.
RUN uv sync --frozen --no-dev --no-install-project
COPY shared/ shared/
COPY functions/ functions/
# Compiled here so a cold start never compiles (the final filesystem is not ours to write).
RUN python -m compileall -q shared functions

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 coffeebuddy \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin coffeebuddy
# The official image ships its standard library without .pyc files, and this stage runs
# with PYTHONDONTWRITEBYTECODE as a non-root user: without this, every cold start would
# compile each standard-library module it imports from source (see the "without cached
# bytecode" column in docs/BENCHMARKS.md for what compiling at start costs).
RUN python -m compileall -q -j 0 /usr/local/lib/python3.12
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8080
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
COPY --from=builder /app/shared/ shared/
COPY --from=builder /app/functions/ functions/
# For `alembic upgrade head` (a Job or `kubectl run` with this image and DATABASE_URL).
COPY migrations/ migrations/
COPY alembic.ini ./
USER 10001:10001
EXPOSE 8080
CMD ["functions-framework", "--port", "8080"]
