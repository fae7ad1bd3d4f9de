"""Renders the event catalogue's schema tables, as docs/events.md shows them."""

from __future__ import annotations

from shared.events.catalog import SCHEMAS, dataschema_for


def _type_of(prop: dict, defs: dict | None = None) -> str:
    if "$ref" in prop:  # an enum (RunStatus, ReminderKind): the values it allows
        prop = (defs or {})[prop["$ref"].rsplit("/", 1)[-1]]
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{e}`" for e in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(_type_of(p, defs) for p in prop["anyOf"])
    text = str(prop.get("type", "?"))
    return text + (f" ({prop['format']})" if "format" in prop else "")


def catalog_tables() -> str:
    out = []
    for event_type, (topic, model) in SCHEMAS.items():
        schema = model.model_json_schema()
        required = set(schema.get("required", []))
        out.append(f"### `{event_type}`\n")
        out.append(f"Topic `{topic}` · dataschema `{dataschema_for(event_type)}` · version 1\n")
        out.append("| field | type | required |\n|---|---|---|")
        for name, prop in schema["properties"].items():
            kind = _type_of(prop, schema.get("$defs"))
            out.append(f"| `{name}` | {kind} | {'yes' if name in required else 'no'} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    sys.stdout.write(catalog_tables())
