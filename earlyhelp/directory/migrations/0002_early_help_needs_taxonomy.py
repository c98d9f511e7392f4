"""The default taxonomy of early help needs (earlyhelp/directory/needs.py), with fixed ids."""

from django.db import migrations

from earlyhelp.directory.needs import NEEDS_TAXONOMY_ID, install_needs


def install(apps, schema_editor):
    install_needs(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


def remove(apps, schema_editor):
    apps.get_model("directory", "TaxonomyTerm").objects.filter(taxonomy_id=NEEDS_TAXONOMY_ID).delete()
    apps.get_model("directory", "Taxonomy").objects.filter(id=NEEDS_TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
