"""The better-off page on a person's record. Thin: scope, call the engine, present, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ipsworks.access.roles import Permission
from ipsworks.access.rules import may
from ipsworks.benefits import presenters, queries, services
from ipsworks.benefits.engine import calculate
from ipsworks.benefits.forms import BetterOffForm
from ipsworks.benefits.rates import rates_for, supported_tax_years
from ipsworks.core.dates import local_today
from ipsworks.people.pages import person_page


def _initial(person) -> dict:
    today = local_today()
    years = supported_tax_years()
    current = [y for y in years if rates_for(y).starts_on <= today]
    tax_year = current[-1] if current else years[0]
    age = 30
    if person.date_of_birth:
        born = person.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        age = min(65, max(18, age))
    return {
        "tax_year": tax_year,
        "country": "england",
        "couple": "single",
        "age": age,
        "lcwra": "none",
        "rent_monthly": "0",
        "pip_weekly": "0",
        "partner_lcwra": "none",
        "partner_pip_weekly": "0",
        "childcare_monthly": "0",
        "savings": "0",
        "hours": "16",
        "hourly_pay": str(rates_for(tax_year).national_living_wage),
    }


@require_http_methods(["GET", "POST"])
# Logs the page, not the htmx answer as hours or pay change. Anyone who may read the record
# may work a calculation through; saving it needs the right to change the record.
@person_page(Permission.VIEW_PERSON_RECORD)
def better_off(request, person):
    staff = request.staff
    can_save = may(staff, Permission.EDIT_PERSON_RECORD, person)
    saving = request.method == "POST" and request.POST.get("action") == "save"
    if saving and not can_save:
        raise PermissionDenied
    opened = None
    if request.method == "GET" and request.GET.get("calculation", "").isdigit():
        # A saved calculation opens with its own answers, so it shows and prints as saved.
        opened = queries.calculation_for(staff, person, int(request.GET["calculation"]))
        if opened is None:
            raise Http404("No such calculation")
    if request.method == "POST":
        data = request.POST
    elif opened is not None:
        data = BetterOffForm.initial_from(opened.inputs)
    else:
        data = _initial(person)
    form = BetterOffForm(data)
    household = form.household()
    if saving and household is not None:
        saved = services.save_calculation(person=person, household=household, by=staff)
        messages.success(request, "Better-off calculation saved on the record")
        return redirect(f"{reverse('person_better_off', args=[person.pk])}?calculation={saved.pk}")
    context = {
        "person": person,
        "form": form,
        "opened": opened,
        "can_save": can_save,
        "results": presenters.present(calculate(household), household) if household else None,
        "saved": queries.calculations_for(staff, person),
    }
    if request.headers.get("HX-Request"):
        # The form sits outside the swapped answer: resend its questions while any are wrong,
        # and once more when they were wrong last time, so the error messages come and go.
        context["show_fields"] = bool(form.errors) or bool(request.POST.get("errors_shown"))
        return render(request, "benefits/_live.jinja", context)
    return render(request, "benefits/better_off.jinja", context)
