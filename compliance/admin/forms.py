"""Forms behind the review queue's actions; each hands its cleaned values to a service."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from compliance import roles
from compliance.models import Decision, Notice
from compliance.services.decisions import Reasons
from compliance.services.statements import EEA, REDRESS


class ReasonsForm(forms.Form):
    """A statement of reasons with the DSA Art. 17 / Transparency Database fields."""

    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text="Why: sent to the claimant and, for a withdrawal, to the source; published in the statement.")
    ground = forms.ChoiceField(choices=Decision.Ground.choices, initial=Decision.Ground.ILLEGAL_CONTENT,
                               label="Decision ground")
    legal_ground = forms.CharField(max_length=500, required=False, label="Legal or contractual ground",
                                   help_text="e.g. Copyright, 17 U.S.C. 512; or the clause of our terms")
    facts = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False,
                            label="Facts and circumstances relied on")
    territorial_scope = forms.CharField(max_length=200, initial="EEA",
                                        help_text="EEA for all of it, or country codes: DE, FR, PL")
    redress = forms.CharField(max_length=500, initial=REDRESS, widget=forms.Textarea(attrs={"rows": 2}))
    manifestly_unfounded = forms.BooleanField(required=False, label="Manifestly unfounded (rejections only)",
                                              help_text="Counts towards warning or suspending the sender "
                                                        "(DSA Art. 23)")

    def clean_territorial_scope(self) -> list[str]:
        text = self.cleaned_data["territorial_scope"].upper().replace(";", ",")
        if text.strip() in ("", "EEA"):
            return list(EEA)
        codes = [code.strip() for code in text.split(",") if code.strip()]
        unknown = [code for code in codes if code not in EEA]
        if unknown:
            raise forms.ValidationError(f"not an EEA country code: {', '.join(unknown)}")
        return codes

    def reasons(self) -> Reasons:
        data = self.cleaned_data
        return Reasons(explanation=data["explanation"], legal_ground=data["legal_ground"], facts=data["facts"],
                       ground=data["ground"], territorial_scope=data["territorial_scope"], redress=data["redress"],
                       manifestly_unfounded=data["manifestly_unfounded"])


class CounterReasonsForm(ReasonsForm):
    """Reasons for restoring or upholding after a counter-notice or complaint: nothing is rejected
    here, so the rejections-only field is not offered."""

    manifestly_unfounded = None

    def reasons(self) -> Reasons:
        self.cleaned_data.setdefault("manifestly_unfounded", False)
        return super().reasons()


class ItemsField(forms.TypedMultipleChoiceField):
    """Offers the undecided items, accepts any item of the notice: an item decided meanwhile by someone
    else reaches the service, which says who decided it, rather than a bare "not a valid choice"."""

    accepted: set[str] = set()

    def valid_value(self, value) -> bool:
        return str(value) in self.accepted


class DecideItemsForm(ReasonsForm):
    WITHDRAW, PICTURES, REJECT = "withdraw", "pictures", "reject"

    decision = forms.ChoiceField(choices=[(WITHDRAW, "Withdraw what the items matched (article, or only the asset)"),
                                          (PICTURES, "Remove only the pictures or media ticked below; the article "
                                                     "stays"),
                                          (REJECT, "Reject")], widget=forms.RadioSelect)
    items = ItemsField(coerce=int, widget=forms.CheckboxSelectMultiple,
                       error_messages={"required": "Tick the items this decision is about."})
    assets = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Pictures or media",
        help_text="For a claim about a photo filed against the article's address: only these are removed.")

    field_order = ["decision", "items", "assets"]

    def __init__(self, *args, item_choices: list[tuple[int, str]], accepted: list[int],
                 asset_choices: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices
        self.fields["items"].accepted = {str(pk) for pk in accepted}
        self.fields["assets"].choices = asset_choices
        if not asset_choices:
            del self.fields["assets"]
            self.fields["decision"].choices = [c for c in self.fields["decision"].choices if c[0] != self.PICTURES]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == self.PICTURES and not data.get("assets"):
            self.add_error("assets", "Tick the pictures or media to remove.")
        return data


class AskForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                               help_text="Mailed to the claimant; the notice waits for the reply.")


def reviewers():
    return get_user_model().objects.filter(
        is_active=True, groups__name__in=[roles.REVIEWER, roles.COMPLIANCE_LEAD]).distinct().order_by("username")


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=reviewers(), required=False, empty_label="(nobody)")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers()


class DuplicateForm(forms.Form):
    original = forms.CharField(max_length=20, label="Duplicate of (reference)")

    def clean_original(self) -> Notice:
        reference = self.cleaned_data["original"].strip().upper()
        notice = Notice.objects.filter(reference=reference).first()
        if notice is None:
            raise forms.ValidationError(f"no notice has the reference {reference}")
        return notice


class RestrictSenderForm(forms.Form):
    WARN, SUSPEND = "warning", "suspension"

    kind = forms.ChoiceField(choices=[(WARN, "Warn the sender"), (SUSPEND, "Suspend the sender")],
                             widget=forms.RadioSelect, initial=WARN)
    days = forms.IntegerField(min_value=1, max_value=180, required=False, initial=30,
                              help_text="For a suspension: how long new notices are kept but not processed.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text="Sent to the sender.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.SUSPEND and not data.get("days"):
            self.add_error("days", "Say how many days.")
        return data
