"""``python -m timeline``: the same as the ``timeline`` console script."""
from .cli import main

raise SystemExit(main())
