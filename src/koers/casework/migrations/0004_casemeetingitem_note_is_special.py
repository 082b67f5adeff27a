from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0003_actionitem_escalated_at_actionitem_source_goal_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="casemeetingitem",
            name="note_is_special",
            field=models.BooleanField(
                default=False,
                help_text="Bijvoorbeeld over gezondheid: alleen zichtbaar voor wie daar een grondslag voor heeft.",
                verbose_name="verslag bevat bijzondere persoonsgegevens",
            ),
        ),
    ]
