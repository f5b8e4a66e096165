"""The standard wording of a service's public page, used where the administrator wrote none.

Written for a reading age of about 9, in NHS content style: short sentences, everyday
words, "we" for the service and "you" for the reader. Every string is translated (Welsh in
``locale/cy``). Zero exclusion (IPS fidelity item 9) is stated plainly: nobody is turned
away for readiness, health, history or benefits.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

DEFAULT_ABOUT = (
    _(
        "IPS stands for Individual Placement and Support. "
        "We help people find paid work and keep it."
    ),
    _("We work with people who get support from a mental health team."),
    _("If you want to work, we want to hear from you. You do not have to be ready first."),
    _("We will not turn you away because of your health, your past or the benefits you get."),
    _("Our help is free. It goes on for as long as you need it, even after you start work."),
)


def default_next_steps(days: int) -> list[str]:
    return [
        str(_("We read every form we get.")),
        ngettext(
            "We will get in touch within %(days)s working day.",
            "We will get in touch within %(days)s working days.",
            days,
        )
        % {"days": days},
        str(
            _(
                "One of our employment specialists will meet you. You can talk about the "
                "work you want and what you are good at."
            )
        ),
        str(_("There is no pressure. You choose what happens next.")),
    ]


URGENT_HELP = (
    _("We cannot help in an emergency."),
    _(
        "If you need help for your mental health now, call 111 and choose the mental health "
        "option. In an emergency, call 999."
    ),
)

# How long things are kept, stated on the privacy notice. The figures come from the settings
# the retention job (manage.py apply_retention) follows, so the notice says what the software
# does. 20 years follows the NHS Records Management Code of Practice (2023) for mental health
# records; the notice cites the code only when a service keeps that default.
NHS_RECORDS_CODE_YEARS = 20


def retention_lines() -> list[str]:
    years = settings.IPS_RETENTION_YEARS
    referral = ngettext(
        "If you start working with us, we keep your record for %(years)s year after our "
        "last contact with you.",
        "If you start working with us, we keep your record for %(years)s years after our "
        "last contact with you.",
        years,
    ) % {"years": years}
    if years == NHS_RECORDS_CODE_YEARS:
        referral += " " + str(
            _("This is what the NHS records code says for mental health records.")
        )
    not_started = settings.IPS_NOT_STARTED_RETENTION_YEARS
    employer = settings.IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS
    return [
        referral,
        ngettext(
            "If you do not start working with us, we keep your form for %(years)s year, "
            "then delete it.",
            "If you do not start working with us, we keep your form for %(years)s years, "
            "then delete it.",
            not_started,
        )
        % {"years": not_started},
        ngettext(
            "We keep an employer's enquiry for %(years)s year after our last contact.",
            "We keep an employer's enquiry for %(years)s years after our last contact.",
            employer,
        )
        % {"years": employer},
    ]
