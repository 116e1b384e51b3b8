"""Reminders sent before the upgrade: the daily task used to mark an expression
(``overdue_reminded_at``) and now keys on ``InterestReminder``. An expression still forwarded
and already reminded gets its row, so it is not reminded again for the same deadline."""

from typing import Any

from django.db import migrations


def carry_over(apps: Any, schema_editor: Any) -> None:
    Interest = apps.get_model("market", "Interest")
    InterestReminder = apps.get_model("market", "InterestReminder")
    reminded = Interest.objects.filter(
        status="forwarded", overdue_reminded_at__isnull=False, answer_due__isnull=False
    ).values_list("pk", "answer_due", "overdue_reminded_at")
    done = set(
        InterestReminder.objects.filter(stage="forwarded").values_list("interest_id", "deadline")
    )
    InterestReminder.objects.bulk_create(
        [
            InterestReminder(interest_id=pk, stage="forwarded", deadline=due, sent_at=sent)
            for pk, due, sent in reminded
            if (pk, due) not in done
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("market", "0004_interest_deadlines_mediation_outcome")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
