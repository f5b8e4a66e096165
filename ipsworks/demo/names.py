"""Name parts for synthetic people and staff.

Every name IPS Works invents is a random pairing of a common given name with a common
surname, so no name belongs to a real person's record: the lists hold names that are among
the most often registered in England and Wales (ONS baby-name and surname frequency tables,
across several decades and backgrounds), never anyone in particular. Place names are
invented for this project; any match with a real place is a coincidence.
"""

FEMALE_GIVEN_NAMES: tuple[str, ...] = tuple(
    """
    Aisha Alice Amelia Amina Amy Ann Anna Ayesha Bethany Carol Charlotte Chloe Claire Danielle
    Deborah Donna Eleanor Elizabeth Ellie Emily Emma Fatima Gemma Grace Hannah Helen Holly Isla
    Jade Jasmine Jennifer Jessica Joanne Julie Karen Katie Kelly Laura Leah Lisa Louise Lucy
    Maria Megan Mia Michelle Natalie Nicola Olivia Patricia Priya Rachel Rebecca Ruth Samantha
    Sarah Shannon Sophie Stacey Susan Tracey Victoria Zainab Zoe
    """.split()
)

MALE_GIVEN_NAMES: tuple[str, ...] = tuple(
    """
    Aaron Adam Ahmed Alexander Ali Andrew Anthony Ben Callum Christopher Connor Craig Daniel
    Darren David Dean Ethan Gary George Harry Hassan Ibrahim Jack Jacob Jake James Jason John
    Joseph Joshua Kevin Kieran Lee Liam Luke Mark Matthew Michael Mohammed Nathan Neil Noah
    Oliver Omar Owen Paul Peter Raj Richard Robert Ryan Samuel Scott Simon Stephen Stuart
    Thomas Tom Tyler Usman William Yusuf
    """.split()
)

# Given to people of any gender; used for non-binary people and those who did not say.
NEUTRAL_GIVEN_NAMES: tuple[str, ...] = tuple(
    "Alex Ashley Charlie Jamie Jordan Morgan Robin Sam Taylor".split()
)

SURNAMES: tuple[str, ...] = tuple(
    """
    Adams Ahmed Ali Allen Anderson Bailey Baker Begum Bell Bennett Brown Butler Campbell Carter
    Chapman Clark Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans Fisher
    Foster Graham Gray Green Griffiths Hall Harris Harrison Hill Holmes Hughes Hussain Hunt
    Jackson James Johnson Jones Kaur Kelly Khan King Knight Lee Lewis Lloyd Marshall Martin
    Mason Matthews Miah Miller Mills Mitchell Moore Morgan Morris Murphy Murray Owen Palmer
    Parker Patel Phillips Powell Price Richards Richardson Roberts Robinson Rogers Rose Russell
    Saunders Scott Shaw Simpson Singh Smith Stevens Stewart Taylor Thomas Thompson Turner
    Walker Ward Watson Webb White Wilkinson Williams Wilson Wood Wright Young
    """.split()
)

# Invented neighbourhood names, for clinical teams and services (never for people).
PLACE_NAMES: tuple[str, ...] = (
    "Ashcombe",
    "Barrowfield",
    "Brackendale",
    "Brookmere",
    "Castlegate",
    "Eastbrook",
    "Elmstead Green",
    "Fairhollow",
    "Fernleigh",
    "Greyfriars",
    "Hallowmead",
    "Hollinbank",
    "Kestrel Moor",
    "Larkspur",
    "Longmarsh",
    "Millbrook",
    "Northwold",
    "Oakhurst",
    "Pennywell",
    "Quarry Hill",
    "Ravensholt",
    "Redwater",
    "Saltmarsh",
    "Southmead Park",
    "Stonebridge",
    "Thornbury Heath",
    "Upperdale",
    "Westerleigh",
    "Willowford",
    "Wyndham Cross",
)
