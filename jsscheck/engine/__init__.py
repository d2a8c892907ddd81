"""MODEL.md sections 1-7 and 9: outcomes, weights, windows, the displayed JSS, change points and
attribution. Nothing outside this package implements any part of MODEL.md."""
