"""`python -m jsscheck`."""

from jsscheck.cli import main

main()
