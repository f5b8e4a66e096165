"""MHSDS code lists held on a contact, and NHS England's direct-contact rule.

Codes are stored as the standards spell them (as ``people.codes`` does), so an MHSDS extract
needs no translation. The form keeps asking the questions staff already answer (who with,
how, did it happen); :func:`contact_codes` turns those answers into the codes, one way only,
and keeps a finer code that was recorded directly (an import, the API) when it agrees with
them.

Sources:

- CONSULTATION MEDIUM USED, which MHSDS v5 onwards carries as ``ConsMechanismMH`` (NHS Data
  Dictionary attribute CONSULTATION MECHANISM): national codes 01 face to face, 02
  telephone, 04 talk type for a person unable to speak, 05 email, 09 text message
  (asynchronous), 10 instant messaging (synchronous), 11 video consultation, 12 message board
  (asynchronous), 13 chat room (synchronous), 98 other (not listed). NHS Data Dictionary,
  https://v3.datadictionary.nhs.uk/data_dictionary/attributes/c/cons/consultation_mechanism_de.asp
  and the data element page
  https://archive.datadictionary.nhs.uk/DD%20Release%20August%202024/attributes/consultation_medium_used.html
  (03 "telemedicine" and 06 "SMS" are the pre-v5 codes; NHS England's pre-processing reads
  them only for months before UniqMonthID 1459, so they are not offered here).
- ATTENDED OR DID NOT ATTEND (MHSDS v6 ``AttendStatus``, same codes): 5 attended on time or,
  if late, before the care professional was ready; 6 arrived late but was seen; 7 arrived
  late and could not be seen; 2 cancelled by, or on behalf of, the patient; 3 did not attend,
  no advance warning; 4 cancelled or postponed by the provider; 0 not applicable, the
  appointment is in the future. NHS Data Dictionary,
  https://archive.datadictionary.nhs.uk/DD%20Release%20June%202026/data_elements/attended_or_did_not_attend_code.html
- The direct-contact rule: nhsengland/MHSDS ``PreProcessing/PreProc 3 - Activity``
  (``Der_DirectContact``, version 5 data onwards): ``AttendStatus`` in ('5','6') and
  ``ConsMechanismMH`` in ('01','02','04','11'). The IPS dashboard keeps only those contacts
  (``IPS Dashboard/IPS Dashboard``, ``c.Der_DirectContact = 1``).

Which contacts are care contacts: a contact with the person is an MHSDS care contact
(MHS201CareContact) and carries both codes. A conversation with the person's family without
them, or with their clinical team, is activity on the person's behalf that does not involve
them (MHSDS MHS204IndirectActivity), which has no ATTENDED OR DID NOT ATTEND: it is held with
its medium and a blank attendance, so it is never a direct contact. This keeps what IPS Works
counted before these codes existed (``Contact.is_direct``: completed, with the person, face
to face, video or phone), now stated as NHS England's rule over the codes.
"""

from django.db import models
from django.db.models import Q


class ConsultationMedium(models.TextChoices):
    """CONSULTATION MEDIUM USED / CONSULTATION MECHANISM (MHSDS ``ConsMechanismMH``)."""

    FACE_TO_FACE = "01", "Face to face"
    TELEPHONE = "02", "Telephone"
    TALK_TYPE = "04", "Talk type for a person unable to speak"
    EMAIL = "05", "Email"
    TEXT_MESSAGE = "09", "Text message (asynchronous)"
    INSTANT_MESSAGING = "10", "Instant messaging (synchronous)"
    VIDEO = "11", "Video consultation"
    MESSAGE_BOARD = "12", "Message board (asynchronous)"
    CHAT_ROOM = "13", "Chat room (synchronous)"
    OTHER = "98", "Other (not listed)"


class AttendedOrDidNotAttend(models.TextChoices):
    """ATTENDED OR DID NOT ATTEND (MHSDS ``AttendStatus``, formerly ``AttendOrDNACode``)."""

    ATTENDED = "5", "Attended on time, or before the professional was ready"
    ATTENDED_LATE = "6", "Arrived late, after the professional was ready, but was seen"
    LATE_NOT_SEEN = "7", "Arrived late and could not be seen"
    CANCELLED_BY_PATIENT = "2", "Cancelled by, or on behalf of, the person"
    DID_NOT_ATTEND = "3", "Did not attend, no advance warning given"
    CANCELLED_BY_PROVIDER = "4", "Cancelled or postponed by the service"
    FUTURE = "0", "Not applicable: the appointment is in the future"


#: Media of a direct contact (``Der_DirectContact``): face to face, telephone, talk type, video.
DIRECT_MEDIA = frozenset(
    {
        ConsultationMedium.FACE_TO_FACE,
        ConsultationMedium.TELEPHONE,
        ConsultationMedium.TALK_TYPE,
        ConsultationMedium.VIDEO,
    }
)
#: Attendance codes of a contact that took place (``AttendStatus IN ('5','6')``).
ATTENDED = frozenset({AttendedOrDidNotAttend.ATTENDED, AttendedOrDidNotAttend.ATTENDED_LATE})


def is_direct_contact(consultation_medium: str, attended_or_dna: str) -> bool:
    """NHS England's direct contact (``Der_DirectContact``): attended (5, 6) by medium 01,
    02, 04 or 11. The one rule: :data:`DIRECT_CONTACT` is the same test in SQL."""
    return consultation_medium in DIRECT_MEDIA and attended_or_dna in ATTENDED


#: :func:`is_direct_contact` as a condition on ``activity.Contact`` rows.
DIRECT_CONTACT = Q(
    consultation_medium__in=sorted(DIRECT_MEDIA), attended_or_dna__in=sorted(ATTENDED)
)


# What each answer on the contact form means in codes: the default, then every code that
# agrees with the answer (a finer one recorded directly is kept). Keys are the values of
# Contact.Mode and Contact.Outcome, spelt out here so this module imports no model.
_MEDIUM_FOR_MODE = {
    "face_to_face": (ConsultationMedium.FACE_TO_FACE, {ConsultationMedium.FACE_TO_FACE}),
    "phone": (
        ConsultationMedium.TELEPHONE,
        {ConsultationMedium.TELEPHONE, ConsultationMedium.TALK_TYPE},
    ),
    "video": (ConsultationMedium.VIDEO, {ConsultationMedium.VIDEO}),
    # "Text, email or letter": which one is not asked, so Other unless the record says.
    "text_email": (
        ConsultationMedium.OTHER,
        {
            ConsultationMedium.EMAIL,
            ConsultationMedium.TEXT_MESSAGE,
            ConsultationMedium.INSTANT_MESSAGING,
            ConsultationMedium.MESSAGE_BOARD,
            ConsultationMedium.CHAT_ROOM,
            ConsultationMedium.OTHER,
        },
    ),
}
_NOT_HELD = {
    AttendedOrDidNotAttend.LATE_NOT_SEEN,
    AttendedOrDidNotAttend.CANCELLED_BY_PATIENT,
    AttendedOrDidNotAttend.DID_NOT_ATTEND,
    AttendedOrDidNotAttend.CANCELLED_BY_PROVIDER,
}
_ATTENDANCE_FOR_OUTCOME = {
    "completed": (AttendedOrDidNotAttend.ATTENDED, set(ATTENDED)),
    "dna": (AttendedOrDidNotAttend.DID_NOT_ATTEND, _NOT_HELD),
    # Tried to reach them and could not: no contact took place and none was cancelled in
    # advance, so "did not attend, no advance warning" (never direct either way).
    "attempted": (AttendedOrDidNotAttend.DID_NOT_ATTEND, _NOT_HELD),
}


def contact_codes(
    *, with_whom: str, mode: str, outcome: str, held_medium: str = "", held_attendance: str = ""
) -> tuple[str, str]:
    """(CONSULTATION MEDIUM USED, ATTENDED OR DID NOT ATTEND) for a contact's answers.

    A held code is kept when it agrees with the answers (email for "text, email or letter",
    talk type for a phone call, cancelled for "did not attend"), otherwise the answer's
    default replaces it, so changing the answer changes the codes. Contacts not with the
    person are indirect activity and hold no attendance code (see the module docstring).
    """
    if mode not in _MEDIUM_FOR_MODE or outcome not in _ATTENDANCE_FOR_OUTCOME:
        return held_medium, held_attendance  # not a valid answer: validation reports it
    default_medium, media = _MEDIUM_FOR_MODE[mode]
    medium = held_medium if held_medium in media else default_medium
    if with_whom != "person":
        return str(medium), ""
    default_attendance, attendances = _ATTENDANCE_FOR_OUTCOME[outcome]
    attendance = held_attendance if held_attendance in attendances else default_attendance
    return str(medium), str(attendance)
