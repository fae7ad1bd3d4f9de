"""Length limits on what people type: one place for validation, rendering and the schema.

Kept free of imports so the Slack-facing paths that check them stay light (cold start).
"""

ORDER_TEXT_MAX = 150
PICKUP_NOTE_MAX = 200
