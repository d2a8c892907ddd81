"""jsscheck: make Upwork's Job Success Score transparent."""

__version__ = "0.1.0"
