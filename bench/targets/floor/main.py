"""The least a `/coffee` can do that keeps DESIGN's rules: persist inside the request.

Verifies the signature, runs one Postgres transaction with psycopg (no ORM: a check and two
inserts, a run and its outbox row, into a table the bench creates), posts a run message
with slack-sdk and only then answers. CoffeeBuddy's slash function does all this and more
(users.info, channel and user rows, publishing the outbox row to Kafka), so this is a
lower bound for any design that saves before it answers (docs/cold-start.md).
"""

import hashlib
import hmac
import os
from urllib.parse import parse_qs

import flask
import functions_framework
import psycopg
from slack_sdk import WebClient

DSN = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)
SECRET = os.environ["SLACK_SIGNING_SECRET"].encode()
SLACK = WebClient(
    token=os.environ["SLACK_BOT_TOKEN"],
    base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
)


@functions_framework.http
def floor(request: flask.Request) -> flask.Response:
    body = request.get_data()
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    expected = "v0=" + hmac.new(SECRET, f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Slack-Signature", "")):
        return flask.Response(b"", status=401)
    form = parse_qs(body.decode())
    channel, note = form["channel_id"][0], form.get("text", [""])[0]
    with psycopg.connect(DSN) as conn, conn.transaction():
        conn.execute(
            "SELECT count(*) FROM bench_floor_run WHERE channel_id = %s AND kind = 'run'",
            (channel,),
        ).fetchone()
        insert = "INSERT INTO bench_floor_run (channel_id, note, kind) VALUES (%s, %s, %s)"
        conn.execute(insert, (channel, note, "run"))
        conn.execute(insert, (channel, None, "outbox"))
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"Coffee run: {note}"}}]
    SLACK.chat_postMessage(channel=channel, text="Coffee run", blocks=blocks)
    return flask.Response(b"", status=200)
