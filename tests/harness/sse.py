"""The smallest Responses event stream that Codex accepts as a finished assistant turn.

The shapes follow the Responses API as Codex parses it: `response.created`, one finished
assistant `message` output item, then `response.completed` with a `usage` block (Codex reads
token usage from it). The same events travel as SSE `data:` lines over HTTP and as one JSON
text message each over the WebSocket transport.
"""

from __future__ import annotations

import json
from typing import Any

Event = dict[str, Any]


def response_events(text: str, response_id: str = "resp_harness") -> list[Event]:
    """Events of one model turn whose only output is the assistant message `text`."""
    return [
        {"type": "response.created", "response": {"id": response_id}},
        {
            "type": "response.output_item.done",
            "item": {
                "type": "message",
                "role": "assistant",
                "id": f"msg_{response_id}",
                "content": [{"type": "output_text", "text": text}],
            },
        },
        {
            "type": "response.completed",
            "response": {
                "id": response_id,
                "usage": {
                    "input_tokens": 1,
                    "input_tokens_details": None,
                    "output_tokens": 1,
                    "output_tokens_details": None,
                    "total_tokens": 2,
                },
            },
        },
    ]


def sse_body(events: list[Event]) -> bytes:
    """SSE framing: an `event:` line naming the type, a `data:` line, then a blank line."""
    parts = [f"event: {ev['type']}\ndata: {json.dumps(ev)}\n\n" for ev in events]
    return "".join(parts).encode()


def parse_sse(body: bytes) -> list[Event]:
    """The JSON events of an SSE body (used by the self-tests to read what a client would)."""
    events: list[Event] = []
    for block in body.decode().split("\n\n"):
        data = [
            line[len("data:") :].strip() for line in block.splitlines() if line.startswith("data:")
        ]
        if data:
            events.append(json.loads("\n".join(data)))
    return events
