"""``python -m service_recovery``: the command line, as the ``service-recovery`` script."""

import sys

from service_recovery.cli import main

if __name__ == "__main__":
    sys.exit(main())
