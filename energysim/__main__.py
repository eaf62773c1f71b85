"""``python -m energysim``: the ``energysim`` command."""

import sys

from energysim.cli import main

sys.exit(main())
