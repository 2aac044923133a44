"""The demo: a patient's phone to play, demo data and a one-command runner (DEMO_MODE only)."""
