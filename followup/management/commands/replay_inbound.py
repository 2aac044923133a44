"""Store the webhooks kept in the spool while the database was down."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.replay import DatabaseDown, replay


class Command(BaseCommand):
    help = "Replay spooled Twilio webhooks into the database, each exactly once."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = replay()
        except DatabaseDown as exc:
            raise CommandError(
                f"The database is still unavailable; the spool is left as it is. ({exc})"
            ) from None
        self.stdout.write(
            f"{counts.stored} stored, {counts.duplicates} already stored, "
            f"{counts.dead} moved to dead letters, {counts.left} left in the spool"
        )
        if counts.dead:
            self.stderr.write(
                f"{counts.dead} entries could not be replayed: see the spool's dead letters."
            )
