"""Entry script of the frozen app: the same CLI/GUI dispatch as `tunewise`."""

import sys

from tunewise.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
