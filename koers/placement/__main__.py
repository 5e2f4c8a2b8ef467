"""``python -m koers.placement``: see ``koers.placement.cli``."""

import sys

from koers.placement.cli import main

sys.exit(main())
