"""The organisation's cost assumptions, with the defaults when its administrator has not set any."""

from koers.reporting.models import CostAssumptions


def cost_assumptions(organisation_id: int) -> CostAssumptions:
    """The stored assumptions, or an unsaved row with the model's defaults (a read never writes)."""
    found = CostAssumptions.objects.filter(organisation_id=organisation_id).first()
    return found if found is not None else CostAssumptions(organisation_id=organisation_id)
