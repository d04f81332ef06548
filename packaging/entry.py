"""PyInstaller entry script: runs ``console.__main__.main`` with absolute package imports."""

import sys

from console.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
