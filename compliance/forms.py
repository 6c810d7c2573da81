from __future__ import annotations

from django import forms

from compliance.parsing.submission import ItemInput, Submission, ValidItem, validate_items
from compliance.models import CounterNotice, Notice
from compliance.services.counter_notices import CounterNoticeInput

# The form is for people naming what they found; bulk senders use the API (DESIGN: API for bulk senders).
MAX_FORM_URLS = 50
GOOD_FAITH = ("I have a good faith belief that use of the material in the manner complained of is not "
              "authorised by the copyright owner, its agent, or the law.")
ACCURACY = ("The information in this notification is accurate, and under penalty of perjury, I am the owner "
            "or authorised to act on behalf of the owner of an exclusive right that is allegedly infringed.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SignedPublicForm(forms.Form):
    """A public form signed by typing one's name, with a honeypot for bots."""

    NAME_FIELD = "name"

    signature = forms.CharField(label="Electronic signature", max_length=200,
                                help_text="Type your full name, exactly as above.")
    website = forms.CharField(required=False, label="Leave this field empty")  # honeypot

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("This request could not be accepted.")
        return ""

    def clean(self) -> dict:
        data = super().clean()
        name, signature = data.get(self.NAME_FIELD, ""), data.get("signature", "")
        if name and signature and signature.strip().strip("/").casefold() != name.strip().casefold():
            self.add_error("signature", f"Type your full name exactly as in “{self.fields[self.NAME_FIELD].label}”.")
        return data


class TakedownForm(SignedPublicForm):
    NAME_FIELD = "claimant_name"

    claimant_name = forms.CharField(label="Your full name", max_length=200)
    claimant_organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    claimant_email = forms.EmailField(label="Email", max_length=320, help_text="We send a confirmation link here.")
    claimant_address = forms.CharField(label="Postal address", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    claimant_phone = forms.CharField(label="Phone", max_length=50, required=False)
    acting_as = forms.ChoiceField(label="You are", choices=Notice.ActingAs.choices, initial=Notice.ActingAs.OWNER,
                                  widget=forms.RadioSelect)
    acting_for_name = forms.CharField(label="Acting for (the rights holder)", max_length=300, required=False,
                                      help_text="Required when you act as an agent.")
    kind = forms.ChoiceField(label="What is the request about", choices=Notice.Kind.choices,
                             initial=Notice.Kind.COPYRIGHT)
    work_description = forms.CharField(label="The work you own", max_length=5000,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="e.g. the article's title, date and where it was first published.")
    urls = forms.CharField(
        label="Addresses (URLs)", max_length=200_000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One per line, at most {MAX_FORM_URLS}: a page or image on our site, or your original (every copy "
                  "of it is found). Addresses that are neither are not ours to remove; we will tell you so.")
    domains = forms.CharField(
        label="Whole sites", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. One site per line, e.g. yourpaper.example, to cover everything we took from it.")
    explanation = forms.CharField(label="Explanation", max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Why this use is not authorised.")
    good_faith = forms.BooleanField(label=GOOD_FAITH, error_messages={"required": "This statement is required."})
    accuracy = forms.BooleanField(label=ACCURACY, error_messages={"required": "This statement is required."})

    def clean(self) -> dict:
        data = super().clean()
        urls, domains = _lines(data.get("urls", "")), _lines(data.get("domains", ""))
        if "urls" not in self.errors and "domains" not in self.errors:
            self._items = self._valid_items(urls, domains)
        if data.get("acting_as") == Notice.ActingAs.AGENT and not data.get("acting_for_name", "").strip():
            self.add_error("acting_for_name", "Name the rights holder you act for.")
        return data

    def _valid_items(self, urls: list[str], domains: list[str]) -> list[ValidItem]:
        if not urls and not domains:
            self.add_error("urls", "Give at least one address.")
            return []
        if len(urls) > MAX_FORM_URLS:
            self.add_error("urls", f"At most {MAX_FORM_URLS} addresses per form; send larger notices through the API.")
            return []
        explanation = self.cleaned_data.get("explanation", "")
        items = [ItemInput(url=url, note=explanation) for url in urls]
        items += [ItemInput(url=domain, scope="domain", note=explanation) for domain in domains]
        valid, errors = validate_items(items)
        for key, messages in errors.items():
            index = int(key.split("[")[1].rstrip("]"))
            field = "urls" if index < len(urls) else "domains"
            line = index + 1 if field == "urls" else index - len(urls) + 1
            self.add_error(field, f"Line {line}: {' '.join(messages)}")
        return valid

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            claimant_name=data["claimant_name"].strip(), claimant_email=data["claimant_email"].strip().lower(),
            items=tuple(self._items), kind=data["kind"], claimant_organisation=data["claimant_organisation"].strip(),
            claimant_address=data["claimant_address"].strip(), claimant_phone=data["claimant_phone"].strip(),
            acting_as=data["acting_as"], acting_for_name=data["acting_for_name"].strip(),
            work_description=data["work_description"].strip(), explanation=data["explanation"].strip(),
            good_faith=data["good_faith"], accuracy=data["accuracy"], signature=data["signature"].strip(),
        )


MISTAKE = ("I swear, under penalty of perjury, that I have a good faith belief that the material was removed or "
           "disabled as a result of mistake or misidentification of the material to be removed or disabled.")
JURISDICTION = ("I consent to the jurisdiction of the Federal District Court for the judicial district in which my "
                "address is located (or, if it is outside the United States, any judicial district in which the "
                "service provider may be found), and I will accept service of process from the person who "
                "provided the notification or an agent of such person.")


class CounterNoticeForm(SignedPublicForm):
    # A claimant's complaint is made on the claimant's own status page, never on the publisher's form.
    kind = forms.ChoiceField(label="What are you filing", choices=[
        (CounterNotice.Kind.COUNTER_NOTICE, CounterNotice.Kind.COUNTER_NOTICE.label),
        (CounterNotice.Kind.COMPLAINT, CounterNotice.Kind.COMPLAINT.label)],
                             initial=CounterNotice.Kind.COUNTER_NOTICE, widget=forms.RadioSelect,
                             help_text="A counter-notice if you are the publisher and the removal was a mistake; "
                                       "a complaint to have our decision reviewed (within six months).")
    name = forms.CharField(label="Your full name", max_length=200)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    email = forms.EmailField(label="Email")
    address = forms.CharField(label="Postal address", max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text="Required for a counter-notice.")
    phone = forms.CharField(label="Phone", max_length=50, required=False, help_text="Required for a counter-notice.")
    explanation = forms.CharField(label="Why the removal was wrong", max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    mistake_statement = forms.BooleanField(label=MISTAKE, required=False)
    jurisdiction_consent = forms.BooleanField(label=JURISDICTION, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == CounterNotice.Kind.COUNTER_NOTICE:
            for name, message in (("address", "A counter-notice needs your postal address."),
                                  ("phone", "A counter-notice needs your phone number."),
                                  ("mistake_statement", "A counter-notice needs this statement."),
                                  ("jurisdiction_consent", "A counter-notice needs this consent.")):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        return data

    def counter_notice_input(self) -> CounterNoticeInput:
        data = self.cleaned_data
        return CounterNoticeInput(
            kind=data["kind"], name=data["name"].strip(), email=data["email"].strip().lower(),
            explanation=data["explanation"].strip(), signature=data["signature"].strip(),
            organisation=data["organisation"].strip(), address=data["address"].strip(), phone=data["phone"].strip(),
            mistake_statement=data["mistake_statement"], jurisdiction_consent=data["jurisdiction_consent"])
