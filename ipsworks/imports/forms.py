"""Forms for uploading an export and for a service's column names."""

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core.forms import NHSForm
from ipsworks.imports.checking import MAX_BYTES
from ipsworks.imports.mapping import TARGETS


class UploadForm(NHSForm):
    file = forms.FileField(
        label="Export file (CSV or Excel .xlsx)",
        help_text="One referral a row, under a header row. Nothing is saved unless all are right",
        error_messages={
            "required": "Choose a CSV or Excel file to import",
            "empty": "The file is empty",
            "invalid": "Choose a CSV or Excel file to import",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError("The file must be a CSV file (.csv) or an Excel file (.xlsx)")
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"The file is over {MAX_BYTES // (1024 * 1024)} MB: split it into parts"
            )
        return upload


class MappingForm(NHSForm):
    """One box per field: the name of the column that holds it in the service's export."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for target in TARGETS:
            self.fields[target.name] = forms.CharField(
                label=f"{target.label}{'' if target.required else ' (optional)'}",
                help_text=f"Standard column: {target.name}. {target.help}",
                required=False,
                max_length=100,
                initial=current.get(target.name, target.name),
                error_messages={"max_length": "Column names must be 100 characters or fewer"},
            )

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, value in list(data.items()):
            column = (value or name).strip().lower()
            if column in seen:
                self.add_error(name, f"This column is already used for {seen[column]}")
            else:
                seen[column] = self.fields[name].label
        return data
