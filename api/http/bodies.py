"""A request's body read whole and handed out again (to check it first, or to run it twice)."""

from __future__ import annotations

from starlette.types import Message, Receive


async def read_all(receive: Receive) -> tuple[bytes, list[Message]]:
    """Read the whole body (the body limit outside bounds it), keeping the messages."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return b"".join(m.get("body", b"") for m in messages), messages


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands out the messages already read, then the real ones."""
    pending = list(messages)

    async def again() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return again
