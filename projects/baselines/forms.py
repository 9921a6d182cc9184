"""The form of the baselines page: save the plan as it is now under a name."""

from django import forms

from projects.models import Baseline
from tpm.forms import Form


class BaselineSaveForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=Baseline._meta.get_field("name").max_length,
        help_text="Unique in this project, e.g. “Approved plan” or “Re-plan after audit”.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: why this baseline was taken, who approved it.",
    )
