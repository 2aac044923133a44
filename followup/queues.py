"""Which django-q2 queue a task goes to: pages and red flags never wait behind bulk dispatch."""

from typing import Any

# The cluster started with Q_CLUSTER_NAME=pages (`manage.py run_pages`); settings.ALT_CLUSTERS.
PAGES = "pages"

# Severities whose processing opens an escalation that may page (triage's names, in lower case).
RED_FLAGS = frozenset({"urgent", "emergency"})


def is_red_flag(assessment: dict[str, Any] | None) -> bool:
    # Triage that failed at arrival (None) may have missed a red flag: safety work all the same.
    return assessment is None or assessment.get("severity") in RED_FLAGS


def enqueue(func: str, *args: Any, task_name: str, urgent: bool) -> None:
    from django_q.tasks import async_task

    # None is the default cluster, where dispatch may spend its minute pacing texts.
    async_task(func, *args, task_name=task_name, cluster=PAGES if urgent else None)
