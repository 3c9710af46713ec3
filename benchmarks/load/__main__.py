"""`python -m benchmarks.load`: the load benchmark (benchmarks/load/README.md)."""

from .run import main

raise SystemExit(main())
