"""The forms of the baselines pages: save the plan under a name; which rows a comparison shows."""

from django import forms

from projects.baselines.compare import Order, Show
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


class CompareFilterForm(Form):
    """The comparison's rows (GET): which ones and in what order; a bad value is the default."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (Show.CHANGED.value, "Changed tasks"),
            (Show.SLIPPED.value, "Slipped tasks"),
            (Show.ALL.value, "All tasks"),
        ],
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[
            (Order.FINISH.value, "Biggest finish slip first"),
            (Order.OUTLINE.value, "Outline"),
        ],
    )

    def choice(self) -> tuple[Show, Order]:
        data = self.cleaned_data if self.is_valid() else {}
        return Show(data.get("show") or Show.CHANGED), Order(data.get("sort") or Order.FINISH)
