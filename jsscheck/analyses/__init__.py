"""One module per question a freelancer asks (score, explain, whatif, forecast, goal, timeline,
calibrate): typed results, no sentences, no JSON."""
