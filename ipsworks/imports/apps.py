from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ipsworks.imports"
    label = "imports"
    verbose_name = "Imports from clinical systems"

    def ready(self) -> None:
        from ipsworks.imports.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.imports.privacy import anonymise_import_keys
        from ipsworks.people import privacy

        privacy.add_anonymiser(anonymise_import_keys)
