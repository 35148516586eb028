"""Reminders: when to stretch, the system scheduler that wakes us, the notification, the .ics."""
