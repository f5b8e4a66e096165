"""Choosing from a searchable list (GOV.UK accessible-autocomplete), as a user does: type part
of the name, then pick the option offered."""


def choose(page, label: str, option: str, *, exact: bool = False) -> None:
    box = page.get_by_label(label, exact=exact)
    box.fill(option[:6])
    page.get_by_role("option", name=option).first.click()
