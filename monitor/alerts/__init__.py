"""Alerts: rules that pick what an analyst wants to hear of the moment a poll stores it,
the messages that say it, and the channels (Apprise URLs, a signed JSON webhook) that carry
them. Pure values and rules here; the outbox lives in storage, the sender in monitor.app."""
