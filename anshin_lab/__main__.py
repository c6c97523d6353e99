import sys

from anshin_lab.cli.main import main

sys.exit(main())
