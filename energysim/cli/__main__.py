"""``python -m energysim.cli``."""

import sys

from energysim.cli import main

sys.exit(main())
