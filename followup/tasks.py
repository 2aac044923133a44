"""django-q2 task entry points: stable dotted paths, ids in, services do the work."""

from followup import conversation, dispatch, nonresponders, paging, replay, sending


# Each pass records its own outcome for /healthz; one that fails must not keep the next from
# running, so the second runs in `finally` and the first one's error still fails the task.
def dispatch_due() -> int:
    try:
        return dispatch.dispatch_due()
    finally:
        nonresponders.chase()


def advance_ladders() -> int:
    try:
        return paging.advance_ladders()
    finally:
        try:
            # Texts kept while the database was down may be red flags: stored (and their
            # escalations opened) within a minute of the database coming back.
            replay.replay_quietly()
        finally:
            # Here rather than in dispatch's task, which may spend its minute pacing texts: a
            # message whose processing failed may be a red flag with no escalation open yet.
            # run_pages takes messages as they arrive; this sweep is the fallback.
            conversation.retry_unprocessed()


# No longer queued (the stored row is the work item): kept for tasks queued before the upgrade.
def process_inbound(message_id: int) -> None:
    conversation.process_inbound(message_id)


def send_message(message_id: int) -> bool:
    return sending.send_message(message_id)
