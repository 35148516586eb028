"""Lets `python -m timer_app` behave exactly like the `stretch` command."""

import sys

from timer_app.cli.main import main

sys.exit(main())
