from django.db import migrations


class Migration(migrations.Migration):
    """TargetActual is replaced by reporting periods and approved updates (results app); its
    rows were copied by results.0002_actuals_to_updates."""

    dependencies = [
        ("programs", "0006_target_reporting"),
        ("results", "0002_actuals_to_updates"),
    ]

    # Only the two DeleteModel operations: dropping each table drops its columns, foreign keys
    # and the target_actual_unique_period constraint with it. Removing the fields one by one first
    # (as makemigrations wrote it) fails on SQLite, whose table rebuild without `target` still
    # carried the unique constraint naming it ("NewTargetActual has no field named 'target'").
    # Databases that already applied the earlier form end in the same state.
    operations = [
        migrations.DeleteModel(
            name="HistoricalTargetActual",
        ),
        migrations.DeleteModel(
            name="TargetActual",
        ),
    ]
