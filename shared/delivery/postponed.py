"""The one exception a delivery raises on purpose (the event endpoint answers 503 to it)."""


class DeliveryPostponedError(Exception):
    """Slack is unavailable for now; the delivery is pending and will be retried."""
