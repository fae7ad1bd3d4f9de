"""Every kind of delivery and how it is made (see DeliveryPlan)."""

from __future__ import annotations

from shared.delivery.kinds import DeliveryKind
from shared.delivery.notices import NOTICE
from shared.delivery.plan import DeliveryPlan
from shared.delivery.redraws import REDRAW
from shared.delivery.run_posts import ARRIVAL, RUN_MESSAGE, RUNNER_DM, SUMMARY

PLANS: dict[DeliveryKind, DeliveryPlan] = {
    DeliveryKind.RUN_MESSAGE: RUN_MESSAGE,
    DeliveryKind.SUMMARY: SUMMARY,
    DeliveryKind.RUNNER_DM: RUNNER_DM,
    DeliveryKind.ARRIVAL: ARRIVAL,
    DeliveryKind.REDRAW: REDRAW,
    DeliveryKind.NOTICE: NOTICE,
}
