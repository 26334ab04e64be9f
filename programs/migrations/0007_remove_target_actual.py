from django.db import migrations


class Migration(migrations.Migration):
    """TargetActual is replaced by reporting periods and approved updates (results app); its
    rows were copied by results.0002_actuals_to_updates."""

    dependencies = [
        ("programs", "0006_target_reporting"),
        ("results", "0002_actuals_to_updates"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicaltargetactual',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicaltargetactual',
            name='source',
        ),
        migrations.RemoveField(
            model_name='historicaltargetactual',
            name='target',
        ),
        migrations.RemoveField(
            model_name='targetactual',
            name='source',
        ),
        migrations.RemoveField(
            model_name='targetactual',
            name='target',
        ),
        migrations.DeleteModel(
            name='HistoricalTargetActual',
        ),
        migrations.DeleteModel(
            name='TargetActual',
        ),
    ]
