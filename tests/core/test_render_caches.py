"""The header and form-field caches never mix one request's content into another's."""

import pytest
from django import forms
from django.template import engines
from django.urls import reverse

from ipsworks.core.components import render_component
from ipsworks.core.forms import NHSForm, field_params

pytestmark = pytest.mark.django_db


class _Name(NHSForm):
    name = forms.CharField(error_messages={"required": "Enter a name"})


def _html(data):
    form = _Name(data)
    form.is_valid()
    return str(render_component(engines["jinja2"].env, field_params(form["name"])))


def test_a_field_with_another_value_or_an_error_renders_afresh():
    first = _html({"name": "Robin"})
    second = _html({"name": "Alex"})
    error = _html({"name": ""})
    assert 'value="Robin"' in first
    assert 'value="Alex"' in second
    assert "Robin" not in second
    assert "Enter a name" in error
    assert _html({"name": "Robin"}) == first


def test_values_are_escaped_even_when_cached():
    html = _html({"name": '"><script>alert(1)</script>'})
    assert "<script>" not in html
    assert _html({"name": '"><script>alert(1)</script>'}) == html


def test_the_header_marks_the_current_page_and_names_the_right_person(world, as_staff):
    es_page = as_staff(world.es_a).get(reverse("caseload")).content.decode()
    assert world.es_a.display_name in es_page
    assert 'aria-current="page"' in es_page
    manager_page = as_staff(world.manager).get(reverse("service_overview")).content.decode()
    assert world.manager.display_name in manager_page
    assert world.es_a.display_name not in manager_page.split("</header>")[0]
    assert 'name="csrfmiddlewaretoken"' in manager_page.split("</header>")[0]
