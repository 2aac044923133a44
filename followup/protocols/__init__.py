"""Protocols in the web app: surgeons save new versions, preview them and move patients over."""
