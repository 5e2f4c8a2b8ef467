"""Categories of client data, so that a rule can say which parts of a dossier a relation opens."""

from enum import StrEnum


class DataCategory(StrEnum):
    IDENTITY = "identity"  # name, client number, municipality
    CONTACT = "contact"  # phone, e-mail, address: what is needed to invite someone
    GROUP_NEEDS = "group_needs"  # language support, small group: what a trainer must know
    BSN = "bsn"
    SPECIAL = "special"  # health, addiction, psychological condition (AVG art. 9)
    DOSSIER = "dossier"  # diagnosis, plan, notes, contra-indications


ALL_CATEGORIES = frozenset(DataCategory)
