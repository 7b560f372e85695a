"""`python -m pipeline COMMAND`: the commands live in `pipeline.cli`."""

import sys

from pipeline.cli import main

sys.exit(main())
