"""Lengths people may type, shared by the pure parsers and the tables that store them."""

ORDER_TEXT_MAX = 150
PICKUP_NOTE_MAX = 200
