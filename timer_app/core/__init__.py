"""The vocabulary every layer shares: routines, plans, durations, controls, user folders."""
