"""django-q2 task entry points: stable dotted paths, ids in, services do the work."""

from followup import conversation, dispatch, nonresponders, paging, sending


def dispatch_due() -> int:
    sent = dispatch.dispatch_due()
    nonresponders.chase()
    return sent


def advance_ladders() -> int:
    return paging.advance_ladders()


def process_inbound(message_id: int) -> None:
    conversation.process_inbound(message_id)


def send_message(message_id: int) -> bool:
    return sending.send_message(message_id)
