"""`manage.py sync`: the same syncs as the Celery tasks, run in this process (cron, operators)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codelocks.errors import CodelocksError
from k3clients.models import K3Account
from k3clients.sync.manual import command_runs
from k3clients.sync.plan import sync_plan_now
from k3clients.sync.planner import What
from k3clients.sync.runs import sync_run_execute, sync_run_give_up

NO_SUCH_ACCOUNT = "There is no K3 account with id {pk}."


class Command(BaseCommand):
    help = "Sync K3 lock lists, phone users and audit logs now, without Celery."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--account", type=int, help="Only this K3 account (its id).")
        parser.add_argument(
            "--what",
            choices=[w.value for w in What],
            action="append",
            help="Only this kind of sync (repeatable); default: lock lists and audit logs.",
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Let the planner choose, within the month's budget, as beat would.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        account_pk = options["account"]
        if account_pk is not None and not K3Account.objects.filter(pk=account_pk).exists():
            raise CommandError(NO_SUCH_ACCOUNT.format(pk=account_pk))
        if options["plan"]:
            outcome = sync_plan_now(enqueue=False)
            if outcome.budget.paused:
                self.stderr.write(outcome.budget.paused)
            runs = outcome.runs
        else:
            whats = [What(w) for w in options["what"]] if options["what"] else None
            runs = command_runs(account_pk=account_pk, whats=whats)
        for run in runs:
            try:
                run = sync_run_execute(run_pk=run.pk)
            except CodelocksError as exc:  # transient: no retry here, the next run catches up
                run = sync_run_give_up(run_pk=run.pk, error=exc.user_message)
            self.stdout.write(
                f"{run.account.email}: {run.get_status_display()}, {run.calls_spent} call(s), "
                f"{run.entries_added} new audit entries"
            )
            for line in (run.errors or "").splitlines():
                self.stderr.write(f"  {line}")
